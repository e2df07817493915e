"""`xianjie serve`: migrate, collect static files, load the demo when empty, serve with gunicorn."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

logger = logging.getLogger(__name__)


def _sweep_forever(interval: int, stop: threading.Event) -> None:
    """Run `xianjie sweep` every `interval` seconds in the gunicorn master. Several app servers may
    each run it: every step is idempotent and each reminder goes out once."""
    from django.db import connections

    while not stop.wait(interval):
        try:
            call_command("sweep", verbosity=0)
        except Exception:
            logger.exception("periodic sweep failed; it will run again")
        finally:
            # Never hold a connection between runs: workers are forked from this process.
            connections.close_all()


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from xianjie.wsgi import application

        return application


class Command(BaseCommand):
    help = "迁移数据库并以 gunicorn 提供服务。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=min(4, multiprocessing.cpu_count() + 1))
        parser.add_argument(
            "--sweep-interval",
            type=int,
            default=300,
            help="时限巡检间隔（秒）；0 表示由 cron/systemd 定时执行 xianjie sweep",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, sweep_interval: int, **options: Any
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO_MODE and "demo" in get_commands():
            call_command("demo", if_empty=True)
        self.stdout.write(f"衔接 已启动：http://{host}:{port}/ （Ctrl-C 停止）")
        stop = threading.Event()
        if sweep_interval > 0:
            threading.Thread(
                target=_sweep_forever, args=(sweep_interval, stop), name="sweep", daemon=True
            ).start()
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "timeout": 120,
                "graceful_timeout": 10,
            }
        ).run()
        stop.set()
