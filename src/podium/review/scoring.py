"""Score categories and how a review's category scores make its total (pure functions).

The rule (documented for organizers in docs/organizers.md, "Score categories"):

* each category has its own integer scale ``score_min``..``score_max`` and a weight;
* a category limited to tracks applies only to submissions in one of them; a submission is
  scored on its applicable categories only;
* a review's **total** is the weighted mean of its category values, each first mapped
  linearly onto the event's reference scale (``Event.score_min``..``score_max``)::

      total = sum(w_c * ref(v_c)) / sum(w_c)      over the categories the review scored
      ref(v) = ref_min + (v - c_min) * (ref_max - ref_min) / (c_max - c_min)

  so totals of submissions scored on different categories (different tracks) are on one
  scale and comparable, and an event with one category whose scale is the reference scale
  (every event from before categories existed) has totals equal to its scores, which keeps
  every ranking as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_CATEGORY_NAME = "Overall"


@dataclass(frozen=True)
class CategoryView:
    """A score category as pages and the total computation use it.

    ``id`` is ``None`` for the implicit category of an event without any stored category
    (its scale and labels are the event's); the first saved review stores it for real.
    ``track_ids`` is empty when the category applies to every submission. ``labels`` maps
    the value as a string to its meaning.
    """

    id: int | None
    name: str
    help_text: str
    score_min: int
    score_max: int
    weight: int
    labels: Mapping[str, str] = field(default_factory=dict)
    track_ids: frozenset[int] = frozenset()

    def applies_to(self, track_id: int | None) -> bool:
        """True when a submission in track ``track_id`` (``None``: no track) is scored on it."""
        return not self.track_ids or track_id in self.track_ids

    def label(self, value: int) -> str:
        """The meaning of ``value`` on this scale, or ``""`` when the organizers gave none."""
        return str(self.labels.get(str(value), ""))

    def values(self) -> range:
        """Every value of the scale, lowest first."""
        return range(self.score_min, self.score_max + 1)


def implicit_category(event: Any) -> CategoryView:
    """The one category of an ``event`` that has stored none: the event's scale, weight 1."""
    return CategoryView(
        id=None,
        name=DEFAULT_CATEGORY_NAME,
        help_text="",
        score_min=event.score_min,
        score_max=event.score_max,
        weight=1,
        labels=dict(event.score_labels or {}),
    )


def applicable(categories: Iterable[CategoryView], track_id: int | None) -> list[CategoryView]:
    """Those of ``categories`` a submission in ``track_id`` is scored on, in their order."""
    return [c for c in categories if c.applies_to(track_id)]


def to_reference(value: int, category: CategoryView, ref_min: int, ref_max: int) -> float:
    """``value`` on ``category``'s scale mapped linearly onto ``ref_min``..``ref_max``."""
    if (category.score_min, category.score_max) == (ref_min, ref_max):
        return float(value)
    span = category.score_max - category.score_min
    return ref_min + (value - category.score_min) * (ref_max - ref_min) / span


def review_total(
    values: Mapping[int, int],
    categories: Sequence[CategoryView],
    ref_min: int,
    ref_max: int,
) -> float | int | None:
    """A review's total on the reference scale (the rule in this module's docstring).

    ``values`` maps category id to the value given. Categories without a value are left out
    (a category added after the review was written). Returns ``None`` when nothing counts, an
    ``int`` when the total is a whole number (so a one-category event shows ``3``, not
    ``3.0``), else a ``float`` rounded to 2 decimals.
    """
    weighted = 0.0
    weights = 0
    for category in categories:
        if category.id is None or category.id not in values:
            continue
        weighted += category.weight * to_reference(values[category.id], category, ref_min, ref_max)
        weights += category.weight
    if not weights:
        return None
    return whole_or_rounded(weighted / weights)


def whole_or_rounded(number: float) -> float | int:
    """``number`` as an ``int`` when it is whole, else rounded to 2 decimals."""
    rounded = round(number, 2)
    return int(rounded) if rounded == int(rounded) else rounded
