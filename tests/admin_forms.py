"""Fill in a Django admin change form the way a browser would: from the page's own forms."""


def _form_values(form):
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        values[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return values


def admin_post_data(response, **changes):
    """The data a browser would post back from an admin add/change page, with `changes`."""
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.initial_forms:
            data.update(_form_values(form))
    data.update({key: value for key, value in changes.items() if value is not None})
    return {key: value for key, value in data.items() if value != ""}
