"""Fixed vocabularies of custom CfP questions."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class QuestionKind(StrEnum):
    """What kind of answer a question takes; decides the form field and the validation."""

    SHORT_TEXT = "short_text"  # one line, at most 300 characters
    LONG_TEXT = "long_text"  # a paragraph, at most 5000 characters
    NUMBER = "number"  # a decimal number, optionally between bounds
    BOOLEAN = "boolean"  # yes or no
    SINGLE_CHOICE = "single_choice"  # one of the question's options
    MULTIPLE_CHOICE = "multiple_choice"  # any number of the question's options
    URL = "url"  # an absolute http(s) address
    DATE = "date"  # a calendar day (ISO 8601, no time zone: it is a day, not an instant)


KIND_LABELS: dict[QuestionKind, object] = {
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.BOOLEAN: _l("Yes / no"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"),
    QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.URL: _l("Web address (URL)"),
    QuestionKind.DATE: _l("Date"),
}

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class QuestionTarget(StrEnum):
    """Whom a question is about: the proposal, or the person proposing it."""

    SUBMISSION = "submission"
    SPEAKER = "speaker"


TARGET_LABELS: dict[QuestionTarget, object] = {
    QuestionTarget.SUBMISSION: _l("The submission"),
    QuestionTarget.SPEAKER: _l("The speaker"),
}
