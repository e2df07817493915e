"""The sharing app's models, by sub-topic."""

from .items import Category, ItemStatus, SharedFile, SharedItem
from .lessons import (
    Lesson,
    LessonEvent,
    LessonStatus,
    LessonTransition,
    StudyForm,
    StudyRecord,
)
from .receipts import ReadReceipt

__all__ = [
    "Category",
    "ItemStatus",
    "Lesson",
    "LessonEvent",
    "LessonStatus",
    "LessonTransition",
    "ReadReceipt",
    "SharedFile",
    "SharedItem",
    "StudyForm",
    "StudyRecord",
]
