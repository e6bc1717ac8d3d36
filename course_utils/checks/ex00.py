"""Exercises of notebook 00: kinds of learning, and AI / ML / DL."""

from ..language import N_, tr
from .core import Exercise, Incorrect, choices_table, word

KINDS = {
    "supervised": ("supervised learning",),
    "unsupervised": ("unsupervised learning",),
    "reinforcement": ("reinforcement learning",),
}
_SITUATIONS = {
    "spam filter trained on emails marked spam/not spam": "supervised",
    "grouping customers by behaviour, with no labels": "unsupervised",
    "a robot that learns to walk from rewards": "reinforcement",
    "predicting a house price from its size": "supervised",
}
WHY = {
    "supervised": N_("every example comes with the right answer (a label)"),
    "unsupervised": N_("there are no labels; the algorithm finds structure by itself"),
    "reinforcement": N_("an agent acts and learns from rewards, not from labelled examples"),
}
_FIELDS = {"AI": ("artificial intelligence",), "ML": ("machine learning",), "DL": ("deep learning",)}


def _check_learning_kinds(answers) -> str:
    choices_table(answers, _SITUATIONS, KINDS,
                  lambda item, right, given: tr("'{item}' is {right} learning, not {given} learning: "
                                                "{WHY_right}.",
                                                item=item, right=right, given=given, WHY_right=tr(WHY[right])))
    return tr("Note that house prices are regression and spam is classification: both are supervised.")


def _check_nesting(order) -> str:
    if isinstance(order, str) or not isinstance(order, list | tuple):
        raise Incorrect(tr("give a list of the three names, e.g. ['AI', 'ML', 'DL'] in the right order."))
    names = [word(name, _FIELDS, what=tr("item {k_1}", k_1=k + 1)) for k, name in enumerate(order)]
    if sorted(names) != ["AI", "DL", "ML"]:
        raise Incorrect(tr("use each of 'AI', 'ML' and 'DL' exactly once; got {names}.", names=names))
    if names != ["AI", "ML", "DL"]:
        raise Incorrect(tr("{names_0} is not the broadest: every deep-learning model is a machine-learning "
                           "model, and machine learning is one way to build AI.",
                           names_0=names[0]))
    return tr("AI contains ML, which contains DL.")


kinds = Exercise(
    N_("00.1 kinds of learning"),
    "Label each situation as 'supervised', 'unsupervised' or 'reinforcement'.",
    _check_learning_kinds,
    (N_("Ask: does each example come with the right answer? Is there a reward instead?"),
     N_("Prices are numbers with known answers in the training data.")),
    "answers = {\n"
    "    'spam filter trained on emails marked spam/not spam': 'supervised',\n"
    "    'grouping customers by behaviour, with no labels': 'unsupervised',\n"
    "    'a robot that learns to walk from rewards': 'reinforcement',\n"
    "    'predicting a house price from its size': 'supervised',\n}",
    (dict(_SITUATIONS),),
)
nesting = Exercise(
    N_("00.2 AI, ML, DL"),
    "List 'AI', 'ML' and 'DL' from the broadest to the narrowest.",
    _check_nesting,
    (N_("Deep learning is one family of machine-learning methods."),),
    "order = ['AI', 'ML', 'DL']",
    (["AI", "ML", "DL"],),
)
