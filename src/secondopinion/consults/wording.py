"""Plain words for the request pages: what each status means and what happens next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondopinion.consults.transitions import Status

# What happens next, for the patient (and their companions), by status.
NEXT_FOR_PATIENT = {
    Status.DRAFT: _("Check what you are about to send. Nothing is shared until you press “Send my request”."),
    Status.REQUESTED: _(
        "Your request was sent. The doctor or the program will look at it soon. We will e-mail you "
        "when something changes."
    ),
    Status.RECEIVED: _("Your request was opened. They will tell you soon whether they can take it."),
    Status.ACCEPTED: _("They agreed to give you a second opinion. They will start soon."),
    Status.IN_PROGRESS: _(
        "The doctor is reading your records. They may send you a question here. We will e-mail you "
        "when the opinion is ready."
    ),
    Status.ON_HOLD: _(
        "The doctor is waiting for something from you. Read their message below and answer it. "
        "Work starts again as soon as you answer."
    ),
    Status.COMPLETED: _(
        "Your second opinion is ready. Read it, compare it with your first opinion, and talk about it "
        "with your doctors. You do not have to switch doctors."
    ),
    Status.REJECTED: _(
        "They could not take your request. You can ask another doctor or program for a second opinion."
    ),
    Status.CANCELLED: _("You cancelled this request. You can ask for a new second opinion at any time."),
    Status.FAILED: _(
        "This request could not be finished. You can ask for a new second opinion. Contact support if "
        "you have questions."
    ),
    Status.ENTERED_IN_ERROR: _("This request was made by mistake and is closed."),
}

# What happens next, for the consultant or coordinator.
NEXT_FOR_CLINICIAN = {
    Status.REQUESTED: _("Open the request to mark it received."),
    Status.RECEIVED: _("Accept or decline the request (declining needs a reason)."),
    Status.ACCEPTED: _("Start the review when you begin work; the turnaround clock is running."),
    Status.IN_PROGRESS: _(
        "Review the shared records and write the opinion; signing it completes the request. Put it on "
        "hold with a message if you need something from the patient."
    ),
    Status.ON_HOLD: _("Waiting for the patient; it resumes when they answer or when you resume it."),
    Status.COMPLETED: _("The opinion is signed. Later changes are addenda."),
}

# Button labels for the moves people can make from the request page.
MOVE_LABELS = {
    Status.ACCEPTED: _("Accept"),
    Status.REJECTED: _("Decline"),
    Status.IN_PROGRESS: _("Start or resume the review"),
    Status.ON_HOLD: _("Put on hold and ask the patient"),
    Status.CANCELLED: _("Cancel my request"),
    Status.FAILED: _("Mark as failed"),
    Status.ENTERED_IN_ERROR: _("Mark as entered in error"),
}
