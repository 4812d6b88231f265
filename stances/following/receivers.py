"""Where following meets the records: a change is owed to its followers in its own transaction.

The task is a row in the same database, written before the change commits: a rolled-back
change leaves no task, and a committed one always has its task.
"""

from stances.following.tasks import fan_out


def on_change_recorded(sender, change, **kwargs):
    fan_out.enqueue(change.pk)
