/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-approval-limit-group.c — the team's approval limit of the current account.
 *
 * Shown while the desk is online on a team ledger. The limit is typed as an
 * amount and its currency ("1000.00 SEK"), parsed by NpMoney into minor units,
 * and stored in the team ledger through NpTeamSync, with how many days a
 * request waits before it expires. A live account without any limit gets a
 * quiet hint that one can be set. Bad input says what is wrong and sends
 * nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-approval-limit-group.h"
#include "np-feedback.h"
#include "np-money.h"
#include "np-team-ledger.h"
#include "np-team-sync.h"

struct _NpApprovalLimitGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *limit_row;
  AdwEntryRow         *lifetime_row;
  GtkLabel            *hint_label;
  GtkLabel            *message_label;

  NpWorkspace         *workspace;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (NpApprovalLimitGroup, np_approval_limit_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static NpTeamSync *
get_sync (NpApprovalLimitGroup *self)
{
  return self->workspace != NULL ? np_workspace_get_team_sync (self->workspace) : NULL;
}

static void
on_limits_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  NpApprovalLimitGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) limits = np_team_sync_list_approval_limits_finish (NP_TEAM_SYNC (source), result, &error);
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  n = limits != NULL ? json_array_get_length (limits) : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label),
                          limits != NULL && n == 0 && np_workspace_get_live (self->workspace));
  if (n > 0)
    {
      JsonObject *limit = json_array_get_object_element (limits, 0);
      const char *currency = json_object_get_string_member_with_default (limit, "currency", "");
      g_autofree char *plain = np_money_format_plain (json_object_get_int_member_with_default (limit, "amount", 0),
                                                      currency);
      g_autofree char *text = g_strdup_printf ("%s %s", plain, currency);
      g_autofree char *days = g_strdup_printf ("%" G_GINT64_FORMAT,
          json_object_get_int_member_with_default (limit, "request_lifetime_seconds", 0) / (24 * 3600));

      gtk_editable_set_text (GTK_EDITABLE (self->limit_row), text);
      gtk_editable_set_text (GTK_EDITABLE (self->lifetime_row), days);
    }
}

static void
update_view (NpApprovalLimitGroup *self)
{
  NpTeamSync *sync = get_sync (self);
  gboolean online = sync != NULL && np_team_sync_get_state (sync) == NP_TEAM_STATE_ONLINE &&
                    np_workspace_get_account_id (self->workspace) != 0;

  gtk_widget_set_visible (GTK_WIDGET (self), online);
  if (!online)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  np_team_sync_list_approval_limits_async (sync, np_workspace_get_account_id (self->workspace), self->cancellable,
                                           on_limits_listed, self);
}

static void
on_limit_set (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  NpApprovalLimitGroup *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!np_team_sync_set_approval_limit_finish (NP_TEAM_SYNC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        np_feedback_form_message (self->message_label, NP_FORM_ERROR, error->message);
      return;
    }
  np_feedback_form_message (self->message_label, NP_FORM_DONE, _("The approval limit is set for every desk."));
  update_view (self);
}

/* "1000.00 SEK" into minor units and a currency, or FALSE with a sentence. */
static gboolean
parse_limit (const char  *text,
             gint64      *out_amount,
             char       **out_currency,
             char       **out_problem)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  guint n = g_strv_length (words);

  if (n != 2)
    {
      *out_problem = g_strdup (_("Type the limit as an amount and its currency, for example 1000.00 SEK."));
      return FALSE;
    }
  currency = g_ascii_strup (words[1], -1);
  if (!np_money_currency_is_known (currency))
    {
      *out_problem = g_strdup_printf (_("%s is not a currency this console knows."), words[1]);
      return FALSE;
    }
  if (!np_money_parse (words[0], currency, out_amount, &error))
    {
      *out_problem = g_strdup (error->message);
      return FALSE;
    }
  *out_currency = g_steal_pointer (&currency);
  return TRUE;
}

static void
on_apply (NpApprovalLimitGroup *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->limit_row))));
  const char *days_text = gtk_editable_get_text (GTK_EDITABLE (self->lifetime_row));
  g_autofree char *currency = NULL;
  g_autofree char *problem = NULL;
  guint64 days = 0;
  gint64 amount = 0;

  if (!parse_limit (text, &amount, &currency, &problem))
    {
      np_feedback_form_message (self->message_label, NP_FORM_ERROR, problem);
      return;
    }
  if (!g_ascii_string_to_unsigned (days_text, 10, 0, 365, &days, NULL))
    {
      np_feedback_form_message (self->message_label, NP_FORM_ERROR,
                                _("Requests expire after a whole number of days, from 0 to 365."));
      return;
    }
  np_feedback_form_message (self->message_label, NP_FORM_WORKING, _("Saving…"));
  np_team_sync_set_approval_limit_async (get_sync (self), np_workspace_get_account_id (self->workspace), currency,
                                         amount, (gint64) days * 24 * 3600, self->cancellable, on_limit_set, self);
}

NpApprovalLimitGroup *
np_approval_limit_group_new (NpWorkspace *workspace)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  return g_object_new (NP_TYPE_APPROVAL_LIMIT_GROUP, "workspace", workspace, NULL);
}

static void
np_approval_limit_group_constructed (GObject *object)
{
  NpApprovalLimitGroup *self = NP_APPROVAL_LIMIT_GROUP (object);

  G_OBJECT_CLASS (np_approval_limit_group_parent_class)->constructed (object);

  if (get_sync (self) != NULL)
    g_signal_connect_object (get_sync (self), "notify::state", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::account", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  update_view (self);
}

static void
np_approval_limit_group_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  NpApprovalLimitGroup *self = NP_APPROVAL_LIMIT_GROUP (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_approval_limit_group_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  NpApprovalLimitGroup *self = NP_APPROVAL_LIMIT_GROUP (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_approval_limit_group_dispose (GObject *object)
{
  NpApprovalLimitGroup *self = NP_APPROVAL_LIMIT_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (np_approval_limit_group_parent_class)->dispose (object);
}

static void
np_approval_limit_group_class_init (NpApprovalLimitGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = np_approval_limit_group_constructed;
  object_class->set_property = np_approval_limit_group_set_property;
  object_class->get_property = np_approval_limit_group_get_property;
  object_class->dispose = np_approval_limit_group_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/views/accounts/np-approval-limit-group.ui");
  gtk_widget_class_bind_template_child (widget_class, NpApprovalLimitGroup, limit_row);
  gtk_widget_class_bind_template_child (widget_class, NpApprovalLimitGroup, lifetime_row);
  gtk_widget_class_bind_template_child (widget_class, NpApprovalLimitGroup, hint_label);
  gtk_widget_class_bind_template_child (widget_class, NpApprovalLimitGroup, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_apply);
}

static void
np_approval_limit_group_init (NpApprovalLimitGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
