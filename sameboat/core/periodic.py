"""What the `schedule` action of every periodic job's management command says.

Each periodic job (meeting and referral reminders, the digests, the retention purge, the
proposals' sweep) is a task that enqueues its own next run; its command's `schedule` action
starts the chain. Those commands must answer alike, because `make run` calls each of them at
every start and an operator reads their lines together: when it was scheduled, that a run was
waiting already, or an error when the backend cannot defer tasks at all (where the chain would
silently never start). One function says it, so the commands cannot drift apart.

Importable before Django is set up (a command line may import a command module first): the
task machinery is imported inside the function.
"""

from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError, OutputWrapper

if TYPE_CHECKING:
    from django.tasks import Task, TaskResult


def report_scheduled(
    stdout: OutputWrapper,
    *,
    label: str,
    task: "Task[Any, Any]",
    result: "TaskResult[Any, Any] | None",
) -> None:
    """Write what scheduling `task` did, `result` being what its schedule function returned
    (None when it enqueued nothing); raise CommandError when nothing is waiting either, since
    then the backend cannot run tasks later and the job would never run."""
    from sameboat.notifications.tasks import is_scheduled

    if result is not None:
        stdout.write(f"{label}: scheduled for {result.task.run_after:%Y-%m-%d %H:%M %Z}")
    elif is_scheduled(task):
        stdout.write(f"{label}: already scheduled")
    else:
        raise CommandError(f"{label}: not scheduled; the task backend cannot run tasks later.")
