"""The FastAPI application: routers, error shape, the change notifier and the sweeper."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.concurrency import run_in_threadpool

from server import errors, openapi
from server.admin.routes import router as admin_router
from server.alerts.routes import router as alerts_router
from server.audit.routes import router as audit_router
from server.auth.routes import router as auth_router
from server.batches.routes import router as batches_router
from server.calendars import service as calendars
from server.calendars.routes import router as calendars_router
from server.cameras.routes import router as cameras_router
from server.cards.routes import router as cards_router
from server.cases.routes import router as cases_router
from server.catalogue.routes import router as catalogue_router
from server.changes.notifier import ChangeNotifier
from server.changes.routes import router as changes_router
from server.context import Context, Settings
from server.deps import ContextDep, ReadSession
from server.evaluation import sweep
from server.evidence.routes import router as evidence_router
from server.evidence.service import sweep_partial_uploads
from server.figures.routes import router as figures_router
from server.investigations.routes import router as investigations_router
from server.mutations.routes import router as mutations_router
from server.mutations.stores import load_stores
from server.notices.routes import router as notices_router
from server.petitions.page import router as status_page_router
from server.petitions.routes import router as petitions_router
from server.reminders.routes import router as reminders_router
from server.reminders.service import Gateway, deliver_due
from server.settings.routes import router as settings_router
from server.users.routes import router as users_router
from shared import __version__
from shared.protocol import Health
from shared.timeutil import format_instant

log = logging.getLogger("yingyan.server")
health_router = APIRouter(tags=["health"])


@health_router.get("/health", response_model=Health, summary="Liveness, version, database and the server's time")
def health(ctx: ContextDep, session: ReadSession) -> dict[str, Any]:
    now = ctx.now(session)
    warnings = calendars.status(ctx, session).warnings
    return {"status": "ok", "version": __version__, "database": ctx.db.dialect, "now": format_instant(now),
            "simulated_clock": ctx.clock.simulated, "calendar_warnings": warnings}


async def _sweeper(ctx: Context) -> None:
    while True:
        await asyncio.sleep(ctx.settings.sweep_interval)
        try:
            report = await run_in_threadpool(sweep, ctx)
            if report.ran and report.evaluated:
                log.info("sweep evaluated %d subjects in %.3f s", report.evaluated, report.seconds)
        except Exception:  # the next round tries again
            log.exception("sweep failed")


async def _outbox(ctx: Context) -> None:
    s = ctx.settings
    gateway = Gateway(s.sms_gateway, s.sms_gateway_token, s.sms_gateway_ca) if s.sms_gateway else None
    if gateway is None:
        log.warning("no SMS gateway configured: risk reminders are queued but not sent (--sms-gateway)")
        return
    while True:
        await asyncio.sleep(s.outbox_interval)
        try:
            await run_in_threadpool(deliver_due, ctx, gateway)
        except Exception:  # the next round tries again
            log.exception("reminder delivery failed")


#: Container allocations between two young collections (CPython's default is 700). A batch of
#: 5,000 records allocates millions of short-lived objects; at the default the collector ran
#: so often that it took about a quarter of an import's time (BENCHMARKS.md, issue 17).
GC_YOUNG_THRESHOLD = 50_000


def tune_collector() -> None:
    """Once the server's application is loaded: move everything alive now (modules, routes)
    out of the collector's sight, and collect the young generation less often. The objects a
    request makes still die young; the collector just stops re-scanning the server's hundreds
    of thousands of permanent objects at every full collection.

    Only the server process calls this, never an application made inside another program (a
    test): objects frozen while alive are never collected, even once they are garbage."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def create_app(ctx: Context) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(sweep_partial_uploads, ctx.settings.data_dir)
        notifier = ChangeNotifier(ctx.db)
        await notifier.start()
        ctx.notifier = notifier
        tasks = [asyncio.create_task(_sweeper(ctx)), asyncio.create_task(_outbox(ctx))]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await notifier.stop()
            ctx.notifier = None
            ctx.hash_pool.shutdown()

    app = FastAPI(
        title="Yingyan sync server",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    load_stores()  # entity stores and the change feed's per-person audiences, before any write
    errors.install(app)
    openapi.install(app)
    for router in (calendars_router, catalogue_router, settings_router, users_router, audit_router):
        app.include_router(router, prefix="/api/v1")
    for router in (health_router, batches_router, alerts_router, cases_router, changes_router, auth_router,
                   admin_router, cameras_router, petitions_router, reminders_router, mutations_router,
                   investigations_router, evidence_router, cards_router, notices_router, figures_router):
        app.include_router(router, prefix="/api/v1")
    # The petitioner's status page is for people, not programs: outside the API's prefix.
    app.include_router(status_page_router)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` worker processes (settings come from the environment)."""
    data_dir = Path(os.environ["YINGYAN_DATA_DIR"])
    sim = os.environ.get("YINGYAN_SIMULATED_CLOCK")
    settings = Settings.from_data_dir(
        data_dir,
        simulated_clock=int(sim) if sim else None,
        clock_rate=float(os.environ.get("YINGYAN_CLOCK_RATE", "0")),
        sweep_interval=float(os.environ.get("YINGYAN_SWEEP_INTERVAL", "15")),
        sms_gateway=os.environ.get("YINGYAN_SMS_GATEWAY") or None,
        sms_gateway_token=os.environ.get("YINGYAN_SMS_GATEWAY_TOKEN") or None,
        sms_gateway_ca=os.environ.get("YINGYAN_SMS_GATEWAY_CA") or None,
        outbox_interval=float(os.environ.get("YINGYAN_OUTBOX_INTERVAL", "5")),
    )
    app = create_app(Context(settings))
    tune_collector()
    return app
