"""The JSON of backups (portal/backup.py): Django's, except that times keep their microseconds,
which DjangoJSONEncoder drops; a restore must give back the same instants, to the microsecond."""

import datetime
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def start_serialization(self) -> None:
        super().start_serialization()
        self.json_kwargs["cls"] = Encoder
