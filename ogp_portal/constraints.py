"""A model's check constraints validated in one query.

Django's ``Model.validate_constraints`` asks the database about each ``CheckConstraint`` in a
query of its own, inside a savepoint of its own when a transaction is open (``Q.check``): three
statements a constraint, each compiled with every field of the row as a value. A model listing
``ChecksInOneQuery`` before ``models.Model`` asks about all of its check constraints in one
``SELECT``, each condition a column, inside one savepoint, and in the same query whether the
row meets the condition of each conditional unique constraint (one that it does not meet
cannot be broken by it, and Django's own validation of it, another query, is skipped); the
other unique constraints are validated as Django does. The errors are the same: each failed
constraint's message and code, and a constraint naming a field left out by ``exclude`` is
skipped, as Django skips it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import (
    BooleanField,
    CheckConstraint,
    ExpressionWrapper,
    Model,
    Q,
    UniqueConstraint,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answers:
    failed: list[CheckConstraint]  # checks the row breaks
    outside: list[UniqueConstraint]  # conditional unique constraints whose condition it fails


def ask(
    model: type[Model],
    instance: Model,
    checks: list[CheckConstraint],
    conditional: list[UniqueConstraint],
    exclude: set[str] | None,
    using: str,
) -> Answers:
    """In one query: which of ``checks`` (of ``model``, the instance's class or a parent) the
    instance's values break, and which of the ``conditional`` unique constraints it falls
    outside of. A check the database cannot evaluate (an error, or NULL) counts as met, as in
    ``Q.check``; a condition whose value is unknown does not put the row outside."""
    asked: list[CheckConstraint | UniqueConstraint] = [*checks, *conditional]
    named = set().union(*(_fields_named(constraint) for constraint in asked))
    query = Query(None)
    against = instance._get_field_expression_map(  # type: ignore[attr-defined]  # Django's
        meta=model._meta, exclude=exclude
    )
    for name, value in against.items():
        if name not in named:  # only the fields the conditions name: each costs a value
            continue
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    columns: list[CheckConstraint | UniqueConstraint] = []
    for index, constraint in enumerate(asked):
        condition = Q(constraint.condition)
        if isinstance(constraint, CheckConstraint):  # NULL passes a CHECK
            value = Coalesce(condition, Value(True), output_field=BooleanField())
        else:
            value = ExpressionWrapper(condition, output_field=BooleanField())
        try:
            query.add_annotation(value, f"_constraint_{index}")
        except FieldError:  # it names a field left out by ``exclude``: Django skips it
            continue
        columns.append(constraint)
    if not columns:
        return Answers([], [])
    connection = connections[using]
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with savepoint:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:
        logger.warning("Got a database error checking %r: %s", instance, error)
        return Answers([], [])
    values = list(zip(columns, row, strict=True))
    return Answers(
        failed=[c for c, met in values if isinstance(c, CheckConstraint) and not met],
        outside=[c for c, met in values if isinstance(c, UniqueConstraint) and met in (0, False)],
    )


_NAMED: dict[int, set[str]] = {}


def _fields_named(constraint: CheckConstraint | UniqueConstraint) -> set[str]:
    """The fields (and their columns' names) that ``constraint``'s condition names."""
    if id(constraint) not in _NAMED:
        _NAMED[id(constraint)] = Q(constraint.condition).referenced_base_fields
    return _NAMED[id(constraint)]


class ChecksInOneQuery:
    """Mixed into a model (before ``models.Model``): its check constraints, and the conditions
    of its conditional unique constraints, asked of the database in one query."""

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        assert isinstance(self, Model), "mixed into a model"
        exclude = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            conditional = [
                c for c in constraints if isinstance(c, UniqueConstraint) and c.condition
            ]
            answers = ask(model_class, self, checks, conditional, exclude, using)
            outside = {id(constraint) for constraint in answers.outside}
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint) or id(constraint) in outside:
                    continue  # a row outside the condition has nothing to be unique with
                fields: Sequence[str] = getattr(constraint, "fields", ())
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)  # type: ignore[attr-defined]
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
            for check in answers.failed:
                broken = ValidationError(
                    check.get_violation_error_message(), code=check.violation_error_code
                )
                errors = broken.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
