"""Django's JSON serialization with times to the microsecond, for SQLite backups.

DjangoJSONEncoder keeps milliseconds only, so a restored record's `changed` time (a column of every
fact CSV) would differ from the one it had. `loaddata` reads these files as plain JSON.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class MicrosecondEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = MicrosecondEncoder
