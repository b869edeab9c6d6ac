/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-list-model.c — a GListModel of one account's journal, newest first.
 *
 * The query runs in SQL; NpRowPager turns each new result into the smallest
 * items-changed: a new operation is one insertion at the top, a finished one a
 * single changed item.
 */
#include "np-journal-list-model.h"
#include "np-ledger-list-model-private.h"
#include "np-ledger-private.h"

struct _NpJournalListModel
{
  NpLedgerListModel  parent_instance;

  NpJournalQuery    *query;
};

G_DEFINE_FINAL_TYPE (NpJournalListModel, np_journal_list_model, NP_TYPE_LEDGER_LIST_MODEL)

enum {
  PROP_0,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GPtrArray *
np_journal_list_model_fetch (NpLedgerListModel  *model,
                             const gint64       *keys,
                             guint               n_keys,
                             GError            **error)
{
  return np_ledger_fetch_journal_entries (np_ledger_list_model_get_ledger (model), keys, n_keys, error);
}

static void
np_journal_list_model_reload (NpLedgerListModel *model)
{
  g_autoptr(GError) error = NULL;
  GArray *row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *revisions = g_array_new (FALSE, FALSE, sizeof (guint64));
  gint64 account_id = np_ledger_list_model_get_account_id (model);

  if (account_id != 0 &&
      !np_ledger_query_journal_row_ids (np_ledger_list_model_get_ledger (model), account_id,
                                        NP_JOURNAL_LIST_MODEL (model)->query, row_ids, revisions, &error))
    {
      /* An empty list is the honest state of a ledger we cannot read. */
      g_warning ("Listing journal entries: %s", error->message);
      g_array_set_size (row_ids, 0);
      g_array_set_size (revisions, 0);
    }

  np_row_pager_update (np_ledger_list_model_get_pager (model), G_LIST_MODEL (model), row_ids, revisions);
}

static void
np_journal_list_model_ledger_changed (NpLedgerListModel *model,
                                      NpLedgerTable      table,
                                      gint64             row_id)
{
  if (table == NP_LEDGER_TABLE_JOURNAL)
    np_journal_list_model_reload (model);
}

static void
np_journal_list_model_finalize (GObject *object)
{
  NpJournalListModel *self = (NpJournalListModel *)object;

  g_clear_pointer (&self->query, np_journal_query_free);

  G_OBJECT_CLASS (np_journal_list_model_parent_class)->finalize (object);
}

static void
np_journal_list_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  NpJournalListModel *self = NP_JOURNAL_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_journal_list_model_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  NpJournalListModel *self = NP_JOURNAL_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      np_journal_list_model_set_query (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_journal_list_model_class_init (NpJournalListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  NpLedgerListModelClass *model_class = NP_LEDGER_LIST_MODEL_CLASS (klass);

  object_class->finalize = np_journal_list_model_finalize;
  object_class->get_property = np_journal_list_model_get_property;
  object_class->set_property = np_journal_list_model_set_property;

  model_class->item_type = NP_TYPE_JOURNAL_ENTRY;
  model_class->reload = np_journal_list_model_reload;
  model_class->ledger_changed = np_journal_list_model_ledger_changed;
  model_class->fetch = np_journal_list_model_fetch;

  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL,
                        NP_TYPE_JOURNAL_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_journal_list_model_init (NpJournalListModel *self)
{
  self->query = np_journal_query_new ();
}

NpJournalListModel *
np_journal_list_model_new (NpLedger              *ledger,
                           gint64                 account_id,
                           const NpJournalQuery *query)
{
  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);

  return g_object_new (NP_TYPE_JOURNAL_LIST_MODEL,
                       "ledger", ledger,
                       "account-id", account_id,
                       "query", query,
                       NULL);
}

const NpJournalQuery *
np_journal_list_model_get_query (NpJournalListModel *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_LIST_MODEL (self), NULL);

  return self->query;
}

void
np_journal_list_model_set_query (NpJournalListModel   *self,
                                 const NpJournalQuery *query)
{
  g_autoptr(NpJournalQuery) everything = NULL;

  g_return_if_fail (NP_IS_JOURNAL_LIST_MODEL (self));

  if (query == NULL)
    query = everything = np_journal_query_new ();

  if (np_journal_query_equal (self->query, query))
    return;

  np_journal_query_free (self->query);
  self->query = np_journal_query_copy (query);
  np_ledger_list_model_reload (NP_LEDGER_LIST_MODEL (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}
