import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)

# A document of at most this many pages is read for proposals as it is added; a longer
# one from its review page ("Find proposals again") or a background queue.
PROPOSE_ON_ADD_MAX_PAGES = 3


def propose_small_documents(source) -> None:
    """Propose records from a short document as soon as it is added."""
    from intake.services import propose

    if len(source.pages) > PROPOSE_ON_ADD_MAX_PAGES:
        return
    try:
        propose(source)
    except Exception:
        # The source is saved already: a fault in the engine must not turn its adding into
        # an error; its review page's "Find proposals again" runs it once more.
        logger.exception("Proposing records from source %s failed", source.pk)


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake: proposals from documents"

    def ready(self):
        from core.views.registry import register_model_view
        from followup.services import register_work_section
        from intake.api.views import register_source_actions
        from intake.views import ProposalReviewView
        from intake.work import sources_to_review
        from programmes.rules import managed_programme_ids
        from sources.api.views import SourceViewSet
        from sources.models import Source
        from sources.querysets import register_programme_access
        from sources.services import register_source_added

        # Sources sit below programmes: they learn who manages which programme from here.
        register_programme_access(managed_programme_ids)
        register_source_added(propose_small_documents)
        register_model_view(Source, "proposals", ProposalReviewView)
        register_source_actions(SourceViewSet)
        # My work and the programme report list the sources whose proposals wait.
        register_work_section(sources_to_review)
