from django.apps import AppConfig

# A document of at most this many pages is read as it is added (a hundredth of a second:
# the officer's upload answers with its proposals); any longer one is queued for the
# background worker (``intake.tasks``), so no one waits on a long report.
PROPOSE_ON_ADD_MAX_PAGES = 3


def propose_on_add(source) -> None:
    """Propose records from a new source: a short one now, a longer one in the background."""
    from intake.services import intake_queue, intake_run

    if len(source.pages) > PROPOSE_ON_ADD_MAX_PAGES:
        intake_queue(source)
        return
    # The source is saved already: a fault in the engine must not turn its adding into an
    # error; the run records it with a sentence, and "Find proposals again" retries.
    intake_run(source.pk, raise_errors=False)


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
        register_source_added(propose_on_add)
        register_model_view(Source, "proposals", ProposalReviewView)
        register_source_actions(SourceViewSet)
        # My work and the programme report list the sources whose proposals wait.
        register_work_section(sources_to_review)
