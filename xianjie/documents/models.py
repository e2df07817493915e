from django.db import models


class DocNumberSequence(models.Model):
    """The last 文号 number used per org, document type and year; numbers are never reused."""

    org = models.ForeignKey("accounts.Org", related_name="+", on_delete=models.PROTECT)
    doc_type = models.CharField("文书类别", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    last_number = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["org", "doc_type", "year"], name="doc_number_seq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.doc_type}/{self.year}: {self.last_number}"
