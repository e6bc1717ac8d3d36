"""The exercise machinery: ``Exercise`` (check, hint, solution) and typed answer readers.

A checker reads each part of the answer with one of the readers below. A reader
returns the answer in a clean form or raises ``Incorrect`` with one sentence that
says what kind of answer is wanted: a whole number, a number to a stated precision,
an array of a given shape, one of a list of words (the words are shown), a function,
or a Keras model (judged by what it computes, not by how its layers are spelled).
So a wrong answer can never pass because of ``int()`` truncation or a lucky type,
and a right answer written another way (4/3 typed as 1.33, ``"Supervised"``,
``Dense`` + ``Activation("softmax")``) is read as right.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..validate import is_number, shown


class _Blank:
    """The placeholder students replace with their answer."""

    def __repr__(self) -> str:
        return "____"


____ = _Blank()


class Incorrect(Exception):
    """Raised by a checker with specific feedback."""


def has_blank(values) -> bool:
    """Is a ____ anywhere in these values (looking inside lists, tuples and dicts)?"""
    for value in values:
        if value is ____:
            return True
        if isinstance(value, dict) and has_blank(value.values()):
            return True
        if isinstance(value, list | tuple) and has_blank(value):
            return True
    return False


# ----------------------------------------------------------------- readers


def _not_a_number_message(value, what: str, wanted: str) -> str | None:
    if value is None:
        return (f"{what} is None: did a line forget to compute it, or a function to `return` it? "
                f"Give {wanted}.")
    if isinstance(value, str):
        return f"{what} is the text {value!r}; give {wanted} without quotes."
    if isinstance(value, bool | np.bool_):
        return f"{what} is {value}, a truth value; give {wanted}."
    if isinstance(value, dict | list | tuple | set) or np.ndim(value) > 0:
        return f"{what} is {type(value).__name__} {shown(value, 40)}; give a single number: {wanted}."
    if not is_number(value):
        return f"{what} is a {type(value).__name__}; give {wanted}."
    if not math.isfinite(float(value)):
        return f"{what} is {float(value)}; give {wanted}."
    return None


def _scalar(value):
    """A 0-d NumPy array or framework tensor (what a Keras loss or penalty returns) as a plain Python number."""
    if isinstance(value, str | bytes | numbers.Real) or np.ndim(value) != 0:
        return value
    try:
        return np.asarray(value).item()
    except (TypeError, ValueError):
        return value


def whole_number(value, what: str = "your answer") -> int:
    """A count: an int (or a float such as 47.0); 47.9, '47', None, NaN and [47] are refused."""
    value = _scalar(value)
    problem = _not_a_number_message(value, what, "a whole number such as 42")
    if problem:
        raise Incorrect(problem)
    if float(value) != round(float(value)):
        raise Incorrect(f"{what} is {value}, which is not a whole number; a count has no fractional part.")
    return int(round(float(value)))


def number(value, what: str = "your answer") -> float:
    """A finite real number (int, float, NumPy scalar, or a 0-d array or tensor holding one)."""
    value = _scalar(value)
    problem = _not_a_number_message(value, what, "a number such as 0.25")
    if problem:
        raise Incorrect(problem)
    return float(value)


def is_close(value: float, target: float, decimals: int | None = 2, rel_tol: float | None = None) -> bool:
    """Equal to ``target`` rounded to ``decimals`` places (so 1.33 and 1.333 both match 4/3), or within ``rel_tol``."""
    if rel_tol is not None:
        return math.isclose(value, target, rel_tol=rel_tol, abs_tol=1e-12)
    return abs(value - target) <= 0.5 * 10.0 ** (-decimals) + 1e-12


def array(value, shape: tuple, what: str = "your answer") -> np.ndarray:
    """Numbers in an array (or nested lists) of exactly ``shape``; text inside is refused, not converted."""
    wanted = f"numbers in shape {shape}"
    if value is None:
        raise Incorrect(f"{what} is None: did a line forget to compute it, or a function to `return` it? "
                        f"Give {wanted}.")
    if isinstance(value, str | dict):
        raise Incorrect(f"{what} is a {type(value).__name__}; give {wanted}, e.g. a list of lists.")
    try:
        raw = np.asarray(value, dtype=object)
    except ValueError:
        raise Incorrect(f"{what} has rows of different lengths; give {wanted}.") from None
    flat = raw.ravel()
    if any(isinstance(item, list | tuple | np.ndarray) for item in flat):
        raise Incorrect(f"{what} has rows of different lengths; give {wanted}.")
    for item in flat:
        if isinstance(item, str):
            raise Incorrect(f"{what} holds the text {item!r}; give numbers without quotes.")
        if not is_number(item):
            raise Incorrect(f"{what} holds {shown(item, 40)}; give {wanted}.")
    result = raw.astype(float)
    if result.shape != tuple(shape):
        raise Incorrect(f"{what} has shape {result.shape}; give {wanted}.")
    if not np.all(np.isfinite(result)):
        raise Incorrect(f"{what} holds NaN or infinity; give finite numbers.")
    return result


def word(value, choices: dict, what: str = "your answer") -> str:
    """One of ``choices`` (canonical word -> other accepted spellings); case and spaces do not matter."""
    listed = ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise Incorrect(f"{what} is {shown(value, 40)}; give one of these words, in quotes: {listed}.")
    given = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    for canonical, others in choices.items():
        spellings = {canonical, *others}
        if given in {" ".join(s.lower().replace("-", " ").replace("_", " ").split()) for s in spellings}:
            return canonical
    raise Incorrect(f"{what} is {value!r}, which is not one of the words this exercise uses: {listed}.")


def function(value, what: str = "your answer"):
    if value is None or not callable(value):
        raise Incorrect(f"{what} should be your function itself (its name, without brackets), got {shown(value, 40)}.")
    return value


def returned(result, what: str = "your function"):
    """What a student's function returned; None and ____ mean a missing `return`."""
    if result is None:
        raise Incorrect(f"{what} returned None: does it end with a `return` line?")
    if result is ____ or (isinstance(result, tuple | list) and has_blank(result)):
        raise Incorrect(f"{what} still returns ____; compute the value and return it.")
    return result


# ----------------------------------------------------------------- exercises


class Verdict:
    """What ``check()`` returns: behaves as True or False, and shows nothing as a cell's last value."""

    def __init__(self, ok: bool):
        self.ok = bool(ok)

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other) -> bool:
        return self.ok == bool(other)

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return repr(self.ok)

    def _ipython_display_(self) -> None:
        pass  # the printed feedback is the answer; an extra "True" or "False" line would only repeat it


@dataclass
class Exercise:
    name: str
    prompt: str
    checker: object  # callable(*answer) -> str (success message) or raises Incorrect
    hints: tuple
    solution_code: str
    example_answer: tuple = ()
    points: int = 1  # what a graded assignment awards for a right answer (course_utils.checks.grading)

    def feedback(self, *answer, **named) -> tuple[bool, str]:
        """(is the answer right?, the message ``check()`` prints). Used by the tests."""
        if has_blank(answer) or has_blank(named.values()):
            return False, f"[{self.name}] Not answered yet: replace each ____ with your answer, then run the cell."
        try:
            message = self.checker(*answer, **named)
        except Incorrect as why:
            return False, f"[{self.name}] Not yet: {why}"
        except TypeError as error:
            if "positional argument" in str(error) or "keyword argument" in str(error):
                return False, f"[{self.name}] Not yet: check() got the wrong number of answers ({error})."
            return False, f"[{self.name}] Not yet: checking your answer raised TypeError: {error}"
        except Exception as error:  # the student's code raised: say so instead of a traceback
            return False, f"[{self.name}] Not yet: checking your answer raised {type(error).__name__}: {error}"
        return True, f"[{self.name}] Correct! {message or ''}".rstrip()

    def check(self, *answer, **named) -> Verdict:
        """Print whether the answer is right and, if not, what is wrong with it.

        Returns a ``Verdict``: true or false like a bool (``if ex.check(...):``), and silent as the last
        line of a cell, where the printed message already says it all.
        """
        ok, message = self.feedback(*answer, **named)
        print(message)
        return Verdict(ok)

    def hint(self, number: int = 1) -> None:
        """Print hint ``number`` (1, 2, ...); out-of-range numbers show the nearest hint."""
        if isinstance(number, str) and number.strip().isdigit():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, numbers.Real) or not math.isfinite(number):
            print(f"[{self.name}] hint() takes a hint number from 1 to {len(self.hints)}, e.g. hint(1).")
            return
        number = int(min(max(int(number), 1), len(self.hints)))
        print(f"[{self.name}] Hint {number}/{len(self.hints)}: {self.hints[number - 1]}")

    def solution(self) -> None:
        if _withheld_in:
            print(f"[{self.name}] The solution is withheld in the graded assignment {_withheld_in}; "
                  "check() and hint() still help.")
            return
        print(f"[{self.name}] One solution:\n{self.solution_code}")


_withheld_in = ""  # the graded assignment this kernel runs, if any (course_utils.checks.grading.start_assignment)


def choices_table(answers, expected: dict, words: dict, explain, what: str = "answers") -> None:
    """Check a dict that maps each item to one of ``words``; ``explain(item, right, given)`` says why."""
    listed = ", ".join(repr(w) for w in words)
    if not isinstance(answers, dict):
        raise Incorrect(f"give a dict that maps each item to one of {listed}.")
    for item, right in expected.items():
        if item not in answers:
            raise Incorrect(f"'{item}' has no answer (copy the items exactly; the words are {listed}).")
        given = word(answers[item], words, what=f"the answer for '{item}'")
        if given != right:
            raise Incorrect(explain(item, right, given))
