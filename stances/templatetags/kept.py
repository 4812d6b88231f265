"""`{% kept "name" value … %}…{% endkept %}`: a part of a template written once per process for
each set of values it shows, then given as it was written.

    {% kept "share" as_of question.title question.slug share %}<section id="share">…{% endkept %}

The values are everything the part shows (here the date, the title, the slug its links carry
and the share links); the active language and the script prefix are added, which its words
and addresses follow. A part that also showed something not named would be given out with
another page's value, so it is for parts whose every input is at hand: never one with a
person's name, a CSRF token or anything else per request, nor a model object as a value (it
compares by its key alone). After an editor's save, the parts of the map page that do not show
the records (the sharing section, the date form) are the same as before, and they hold many of
its translation and address tags: each such part costs a lookup instead. The parts that show
the records are written from them in Python (stances/pages/markup.py), each member state's
kept the same way, by what it shows.
"""

from django import template
from django.db.models import Model
from django.urls import get_script_prefix
from django.utils.translation import get_language

from stances.pages.kept_pieces import KeptPieces

register = template.Library()

# A few parts a page, in a few dates and two dozen languages each.
_parts = KeptPieces(size=4096)


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("{% kept %} takes a quoted name, then its values")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    name = bits[1][1:-1]
    return KeptNode(name, nodelist, [parser.compile_filter(bit) for bit in bits[2:]])


class KeptNode(template.Node):
    def __init__(self, name, nodelist, values):
        self.name, self.nodelist, self.values = name, nodelist, values

    def render(self, context):
        key = (
            context.template.origin.name,
            self.name,
            get_language(),
            get_script_prefix(),
            *(frozen(value.resolve(context)) for value in self.values),
        )
        # Safe already, as a template's output is.
        return _parts.get(key, lambda: self.nodelist.render(context))


def frozen(value):
    """`value` as part of a key: a dict or list as a tuple of what it holds. Not a model
    object, which compares by its key alone: name the fields the part shows."""
    if isinstance(value, Model):
        raise TypeError(f"{{% kept %}} keys by what a part shows, not by {value!r}")
    if isinstance(value, dict):
        return tuple(sorted((key, frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    return value
