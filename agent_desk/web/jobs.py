"""The worker's scheduled jobs for administrators: each job's schedule, last success and last
failure with its error; on PostgreSQL also the failed runs (retry one) and the runs stalled in
`doing` by a worker that died; on SQLite, what the one in-memory worker recorded (docs/jobs.md)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from agent_desk import db
from agent_desk.web.access import ADMINS, roles_required
from models.core import job_queue, worker_jobs
from models.core.base import utcnow
from models.core.db import unit_of_work

log = logging.getLogger(__name__)
bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


@bp.get("")
@roles_required(*ADMINS)
def index():
    session, silent_s = db.session(), current_app.config["HELPLINE_SETTINGS"].job_stalled_s
    jobs = worker_jobs.listing(session=session)
    if not job_queue.on_job_engine(session):
        return render_template("jobs/index.html", jobs=jobs, in_memory=True)
    return render_template("jobs/index.html", jobs=jobs, in_memory=False, silent_s=silent_s,
                           failed=job_queue.failed_runs(session=session),
                           stalled=job_queue.stalled_runs(session=session, silent_s=silent_s),
                           queue=job_queue.queue_now(session=session, silent_s=silent_s))


@bp.post("/<int:run_id>/retry")
@roles_required(*ADMINS)
def retry(run_id: int):
    with unit_of_work(db.session()) as uow:
        if not job_queue.on_job_engine(uow.session):
            flash(_("The jobs run in memory in the one worker process: there is nothing to retry here."), "error")
            return redirect(url_for("jobs.index"))
        try:
            job_queue.retry_failed(session=uow.session, run_id=run_id, now=utcnow())
        except job_queue.NotFailed:
            flash(_("Only a failed run can be retried."), "error")
            return redirect(url_for("jobs.index"))
        except job_queue.RunWaiting:
            flash(_("A run of this job is already waiting; retry this one once it has run."), "error")
            return redirect(url_for("jobs.index"))
        uow.commit()
    flash(_("The run is queued again; a worker takes it within seconds."), "ok")
    return redirect(url_for("jobs.index"))
