"""The visibility rule is compiled to SQL once, and stays right wherever it is reused."""

from django.db.models import Exists

from activities.models import Activity
from programmes.models import Pairing
from tests import factories


def count_exists_compiles(monkeypatch) -> list:
    calls = []
    compile_exists = Exists.as_sql

    def counted(self, compiler, connection, **extra):
        calls.append(self)
        return compile_exists(self, compiler, connection, **extra)

    monkeypatch.setattr(Exists, "as_sql", counted)
    return calls


def test_the_rule_is_compiled_once_for_every_statement_that_carries_it(db, monkeypatch):
    visible = Pairing.objects.published()
    calls = count_exists_compiles(monkeypatch)
    visible.order_by().values("pk").query.sql_with_params()  # a count's estimate
    compiled = len(calls)
    assert compiled > 0
    visible.filter(title__startswith="A")[:50].query.sql_with_params()  # its page
    assert len(calls) == compiled


def test_a_visible_list_inside_another_query_is_compiled_with_that_query_s_aliases(db):
    programme = factories.ProgrammeFactory(is_published=True)
    hidden_programme = factories.ProgrammeFactory(is_published=False)
    shown = factories.PairingFactory(programme=programme, is_published=True)
    hidden = factories.PairingFactory(programme=hidden_programme, is_published=True)
    on_shown = factories.ActivityFactory(programme=programme, pairing=shown)
    factories.ActivityFactory(programme=hidden_programme, pairing=hidden)
    visible = Pairing.objects.published()
    assert list(visible.values_list("pk", flat=True)) == [shown.pk]  # compiled on its own
    nested = Activity.objects.filter(pairing__in=visible.values("pk"))
    assert list(nested.values_list("pk", flat=True)) == [on_shown.pk]
    both = Pairing.objects.published() | Pairing.objects.filter(pk=hidden.pk)
    assert set(both.values_list("pk", flat=True)) == {shown.pk, hidden.pk}
