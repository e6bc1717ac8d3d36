"""Exercises with feedback: ``check()``, ``hint()`` and ``solution()``.

In a notebook::

    from course_utils.checks import ex01, ____
    w1, w2, b = ____, ____, ____       # your answer
    ex01.nand.check(w1, w2, b)

``core`` holds the machinery and the typed answer readers; each notebook's exercises
live in their own short module (``ex00`` ... ``ex11``). A checker returns a success
message or raises ``Incorrect`` with a message that says *what* is wrong;
``check()`` prints it and returns True or False.
"""

from . import ex00, ex01, ex02, ex03, ex04, ex05, ex06, ex07, ex08, ex09, ex10, ex11
from .core import Exercise, Incorrect, ____

__all__ = ["Exercise", "Incorrect", "____", "ex00", "ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08",
           "ex09", "ex10", "ex11"]
