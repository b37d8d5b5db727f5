"""The fixed words of the pledge format, without the models: for code that counts them.

A collation served from the cache reads no pledge, so it need not build the pledge models
(``core.pledge``, which takes its words from here).
"""

from __future__ import annotations

PROGRESS = ("positive-change", "no-change", "deterioration")
BALANCE = ("towards-safety", "balanced", "towards-danger")
# Verdicts on the anticipated signs of success, at the review.
VERDICTS = ("met", "partly", "not-yet", "too-early")
# The list fields of a point, in the form's column order.
LIST_FIELDS = ("good_practice", "pledges", "helps", "hinders", "signs_of_success")
