"""The working-day calendar, deadline clocks and time-limit parameters.

Working days follow the State Council holiday schedule (国务院节假日安排), 调休 included.
"""

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "xianjie.calendar"
    label = "calendar"
    verbose_name = "工作日历与时限"

    def ready(self) -> None:
        from . import policies  # noqa: F401  (registers the Clock access policy)
