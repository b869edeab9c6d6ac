/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-activity-cell.c — one cell of the Activity page's table.
 *
 * Built once for its column (a label; for the outcome an icon, a label and
 * "Refresh to Settle"), then only given new entries as the list scrolls.
 *
 * Tooltips: in GTK 4.8 every gtk_widget_set_tooltip_text () asks the X server
 * where the pointer is, synchronously, so setting an entry sets none. The cell
 * asks for its tooltip once, and the text is made from the entry when shown.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "np-activity-cell.h"
#include "np-money.h"

struct _NpActivityCell
{
  AdwBin            parent_instance;

  NpActivityColumn  column;
  NpJournalEntry   *entry;
  GtkLabel         *label;
  GtkWidget        *icon;    /* outcome only */
  GtkWidget        *button;  /* outcome only */
};

G_DEFINE_ENUM_TYPE (NpActivityColumn, np_activity_column,
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_TIME, "time"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_OPERATION, "operation"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_OBJECT, "object"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_SUMMARY, "summary"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_AMOUNT, "amount"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_OUTCOME, "outcome"),
  G_DEFINE_ENUM_VALUE (NP_ACTIVITY_COLUMN_ERROR, "error"))

G_DEFINE_FINAL_TYPE (NpActivityCell, np_activity_cell, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COLUMN,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Words ------------------------------------------------------------------------- */

static const char *
operation_label (NpJournalOperation operation)
{
  switch (operation)
    {
    case NP_JOURNAL_OPERATION_CREATE:
      return _("Create checkout");
    case NP_JOURNAL_OPERATION_CAPTURE:
      return _("Capture");
    case NP_JOURNAL_OPERATION_REFUND:
      return _("Refund");
    case NP_JOURNAL_OPERATION_UPDATE:
      return _("Update metadata");
    case NP_JOURNAL_OPERATION_DELETE:
      return _("Delete checkout");
    case NP_JOURNAL_OPERATION_CREATE_CUSTOMER:
      return _("Create customer");
    case NP_JOURNAL_OPERATION_DELETE_CUSTOMER:
      return _("Delete customer");
    case NP_JOURNAL_OPERATION_REFRESH:
      /* Translators: not an operation sent: a retrieve saw the status change */
      return C_("journal operation", "Status refresh");
    default:
      return np_journal_operation_to_string (operation);
    }
}

static const char *
state_label (NpJournalState state)
{
  switch (state)
    {
    case NP_JOURNAL_STATE_PENDING:
      return _("Pending");
    case NP_JOURNAL_STATE_SUCCEEDED:
      return _("Succeeded");
    case NP_JOURNAL_STATE_FAILED:
      return _("Failed");
    case NP_JOURNAL_STATE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

static const char *
state_css_class (NpJournalState state)
{
  switch (state)
    {
    case NP_JOURNAL_STATE_SUCCEEDED:
      return "success";
    case NP_JOURNAL_STATE_FAILED:
      return "error";
    case NP_JOURNAL_STATE_UNKNOWN:
      return "warning";
    case NP_JOURNAL_STATE_PENDING:
    default:
      return "dim-label";
    }
}

/* The money an operation moved, from the request the journal kept: a refund's
 * amount ("remaining" is what was left), else the checkout's. NULL without one. */
static char *
entry_amount_text (NpJournalEntry *entry)
{
  const char *details = np_journal_entry_get_details (entry);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  JsonNode *refund;
  const char *currency;
  gint64 amount;

  if (details == NULL)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, details, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  currency = json_object_get_string_member_with_default (object, "currency", NULL);
  if (currency == NULL || !json_object_has_member (object, "amount"))
    return NULL;

  amount = json_object_get_int_member (object, "amount");
  refund = json_object_get_member (object, "refund_amount");
  if (refund != NULL && json_node_get_value_type (refund) == G_TYPE_INT64)
    amount = json_node_get_int (refund);
  else if (refund != NULL)
    amount -= json_object_get_int_member_with_default (object, "refunded_before", 0);

  return np_money_format (amount, currency);
}

static char *
outcome_text (NpJournalEntry *entry)
{
  NpJournalState state = np_journal_entry_get_state (entry);

  /* Nothing was sent, so nothing succeeded: the console saw it. */
  if (np_journal_entry_get_operation (entry) == NP_JOURNAL_OPERATION_REFRESH &&
      state == NP_JOURNAL_STATE_SUCCEEDED)
    /* Translators: the outcome of a status refresh: the change was seen */
    return g_strdup (C_("journal outcome", "Seen"));
  if (state == NP_JOURNAL_STATE_UNKNOWN && np_journal_entry_get_settled_status (entry) != NULL)
    /* Translators: an unknown outcome, and the status a later refresh saw */
    return g_strdup_printf (_("Unknown · now %s"), np_journal_entry_get_settled_status (entry));
  return g_strdup (state_label (state));
}

/* The text the cell shows for @entry in its column. */
static char *
cell_text (NpActivityCell *self,
           NpJournalEntry *entry)
{
  switch (self->column)
    {
    case NP_ACTIVITY_COLUMN_TIME:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (np_journal_entry_get_started (entry));

        return g_date_time_format (local, "%x %X");
      }
    case NP_ACTIVITY_COLUMN_OPERATION:
      return g_strdup (operation_label (np_journal_entry_get_operation (entry)));
    case NP_ACTIVITY_COLUMN_OBJECT:
      /* A create that never succeeded made nothing. */
      return g_strdup (np_journal_entry_get_object_id (entry) ? np_journal_entry_get_object_id (entry) : "—");
    case NP_ACTIVITY_COLUMN_SUMMARY:
      return g_strdup (np_journal_entry_get_summary (entry));
    case NP_ACTIVITY_COLUMN_AMOUNT:
      return entry_amount_text (entry);
    case NP_ACTIVITY_COLUMN_OUTCOME:
      return outcome_text (entry);
    case NP_ACTIVITY_COLUMN_ERROR:
      return g_strdup (np_journal_entry_get_error_text (entry));
    default:
      g_assert_not_reached ();
    }
}

/* The longer text a tooltip shows; NULL for none. */
static char *
tooltip_text (NpActivityCell *self)
{
  switch (self->column)
    {
    case NP_ACTIVITY_COLUMN_TIME:
      {
        g_autofree char *utc = g_date_time_format_iso8601 (np_journal_entry_get_started (self->entry));

        /* Translators: %s is a UTC time in ISO 8601 */
        return g_strdup_printf (_("%s (UTC)"), utc);
      }
    case NP_ACTIVITY_COLUMN_OBJECT:
      return g_strdup (np_journal_entry_get_object_id (self->entry));
    case NP_ACTIVITY_COLUMN_SUMMARY:
      return g_strdup (np_journal_entry_get_summary (self->entry));
    case NP_ACTIVITY_COLUMN_ERROR:
      return g_strdup (np_journal_entry_get_error_text (self->entry));
    case NP_ACTIVITY_COLUMN_OPERATION:
    case NP_ACTIVITY_COLUMN_AMOUNT:
    case NP_ACTIVITY_COLUMN_OUTCOME:
    default:
      return NULL;
    }
}

static gboolean
on_query_tooltip (NpActivityCell *self,
                  int             x,
                  int             y,
                  gboolean        keyboard_mode,
                  GtkTooltip     *tooltip)
{
  g_autofree char *text = NULL;

  if (self->entry == NULL)
    return FALSE;

  text = tooltip_text (self);
  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Showing ----------------------------------------------------------------------- */

static void
show_outcome (NpActivityCell *self)
{
  static const char * const classes[] = { "success", "error", "warning", "dim-label", NULL };
  GtkWidget *label = GTK_WIDGET (self->label);
  gboolean attention = np_journal_entry_needs_attention (self->entry);

  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_add_css_class (label, state_css_class (np_journal_entry_get_state (self->entry)));

  gtk_widget_set_visible (self->icon, attention);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->button), "x", np_journal_entry_get_id (self->entry));
  gtk_widget_set_visible (self->button, attention && np_journal_entry_get_object_id (self->entry) != NULL);
}

static void
show_entry (NpActivityCell *self)
{
  g_autofree char *text = NULL;

  if (self->label == NULL)
    return;

  if (self->entry != NULL)
    text = cell_text (self, self->entry);
  gtk_label_set_text (self->label, text ? text : "");

  if (self->column == NP_ACTIVITY_COLUMN_OUTCOME && self->entry != NULL)
    show_outcome (self);
}

/* The outcome, and for an unsettled UNKNOWN one a button that settles it. */
static GtkWidget *
build_outcome (NpActivityCell *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  self->button = gtk_button_new_with_label (_("Refresh to Settle"));

  /* The label says it in words; the icon only makes the row stand out. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_add_css_class (self->icon, "warning");
  gtk_widget_set_visible (self->icon, FALSE);

  /* The outcome is never cut short; the button gives way first. */
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_NONE);
  gtk_widget_set_tooltip_text (self->button, _("Look the object up again to learn what became of this operation"));
  /* A target of the action's type from the start; an entry sets its id. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->button), "x", G_GINT64_CONSTANT (0));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "activity.settle");
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->button, FALSE);

  gtk_box_append (GTK_BOX (box), self->icon);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), self->button);
  return box;
}

static void
np_activity_cell_constructed (GObject *object)
{
  NpActivityCell *self = NP_ACTIVITY_CELL (object);

  G_OBJECT_CLASS (np_activity_cell_parent_class)->constructed (object);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);

  switch (self->column)
    {
    case NP_ACTIVITY_COLUMN_OUTCOME:
      adw_bin_set_child (ADW_BIN (self), build_outcome (self));
      break;
    case NP_ACTIVITY_COLUMN_AMOUNT:
      gtk_label_set_xalign (self->label, 1);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
      adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->label));
      break;
    case NP_ACTIVITY_COLUMN_TIME:
    case NP_ACTIVITY_COLUMN_OBJECT:
    case NP_ACTIVITY_COLUMN_SUMMARY:
    case NP_ACTIVITY_COLUMN_ERROR:
      gtk_widget_set_has_tooltip (GTK_WIDGET (self->label), TRUE);
      g_signal_connect_object (self->label, "query-tooltip", G_CALLBACK (on_query_tooltip), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->label));
      break;
    case NP_ACTIVITY_COLUMN_OPERATION:
    default:
      adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->label));
      break;
    }

  show_entry (self);
}

NpJournalEntry *
np_activity_cell_get_entry (NpActivityCell *self)
{
  g_return_val_if_fail (NP_IS_ACTIVITY_CELL (self), NULL);

  return self->entry;
}

void
np_activity_cell_set_entry (NpActivityCell *self,
                            NpJournalEntry *entry)
{
  g_return_if_fail (NP_IS_ACTIVITY_CELL (self));
  g_return_if_fail (entry == NULL || NP_IS_JOURNAL_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  show_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

static void
np_activity_cell_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NpActivityCell *self = NP_ACTIVITY_CELL (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      g_value_set_enum (value, self->column);
      break;

    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_activity_cell_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NpActivityCell *self = NP_ACTIVITY_CELL (object);

  switch (prop_id)
    {
    case PROP_COLUMN:
      self->column = g_value_get_enum (value);
      break;

    case PROP_ENTRY:
      np_activity_cell_set_entry (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_activity_cell_dispose (GObject *object)
{
  NpActivityCell *self = NP_ACTIVITY_CELL (object);

  g_clear_object (&self->entry);

  G_OBJECT_CLASS (np_activity_cell_parent_class)->dispose (object);
}

static void
np_activity_cell_class_init (NpActivityCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = np_activity_cell_constructed;
  object_class->dispose = np_activity_cell_dispose;
  object_class->get_property = np_activity_cell_get_property;
  object_class->set_property = np_activity_cell_set_property;

  properties[PROP_COLUMN] =
    g_param_spec_enum ("column", NULL, NULL, NP_TYPE_ACTIVITY_COLUMN, NP_ACTIVITY_COLUMN_SUMMARY,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, NP_TYPE_JOURNAL_ENTRY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_activity_cell_init (NpActivityCell *self)
{
}
