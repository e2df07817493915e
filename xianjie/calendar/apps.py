"""The working-day calendar, deadline clocks and time-limit parameters.

Working days follow the State Council holiday schedule (国务院节假日安排), 调休 included.
"""

from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "xianjie.calendar"
    label = "calendar"
    verbose_name = "工作日历与时限"

    def ready(self) -> None:
        from xianjie.audit.labels import register_action_labels
        from xianjie.core.sweep import register_sweep_task

        from . import policies  # noqa: F401  (registers the Clock access policy)
        from .reminders import send_due_reminders, send_overdue_escalations
        from .services import clocks_refresh

        register_sweep_task("新标记逾期时限", clocks_refresh)
        register_sweep_task("发送临期提醒", send_due_reminders)
        register_sweep_task("发送逾期督办", send_overdue_escalations)
        register_action_labels(
            {
                "calendar.year_enter": "录入年度节假日安排",
                "calendar.day_set": "调整单日",
                "calendar.day_reset": "恢复单日",
                "time_limit.change": "修改时限参数",
                "clock.start": "时限·开始计时",
                "clock.pause": "时限·暂停",
                "clock.resume": "时限·恢复计时",
                "clock.finish": "时限·办结",
                "clock.overdue": "时限·逾期",
                "clock.cancel": "时限·撤销",
            }
        )
