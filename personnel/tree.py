"""Materialized-path trees: a subtree is one indexed ``path LIKE 'prefix%'`` query."""

from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr


class TreeNode(models.Model):
    """Abstract tree node; ``path`` holds the ids from the root, e.g. ``00000001/00000007/``."""

    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = self._compute_path()
                super().save(update_fields=["path"])
                return
            old_path = self.path
            self.path = self._compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path, self.path)

    def _compute_path(self) -> str:
        parent = self.parent  # type: ignore[attr-defined]
        if parent is not None and (
            parent.pk == self.pk or parent.path.startswith(self.path or "\0")
        ):
            raise ValueError("A node cannot be placed under itself or its descendants.")
        prefix = parent.path if parent is not None else ""
        return f"{prefix}{self.pk:08d}/"

    def _move_descendants(self, old_path: str, new_path: str) -> None:
        type(self)._default_manager.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split("/") if part][:-1]

    def is_descendant_of(self, other: "TreeNode") -> bool:
        return bool(other.path) and self.path.startswith(other.path)
