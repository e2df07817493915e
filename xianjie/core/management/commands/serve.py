"""`xianjie serve`: migrate, collect static files, load the demo when empty, serve with gunicorn."""

from __future__ import annotations

import multiprocessing
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


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

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEMO_MODE and "demo" in get_commands():
            call_command("demo", if_empty=True)
        self.stdout.write(f"衔接 已启动：http://{host}:{port}/ （Ctrl-C 停止）")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "timeout": 120,
                "graceful_timeout": 10,
            }
        ).run()
