from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xianjie.documents"
    label = "documents"
    verbose_name = "公文"
