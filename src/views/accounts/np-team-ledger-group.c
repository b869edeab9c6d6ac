/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger-group.c — joining, testing and leaving a team ledger.
 *
 * On the local ledger the group is a form: a libpq URI or a pg_service.conf
 * service name, a password and this desk's name. The target is checked as it is
 * typed (np_team_ledger_check_target (): without TLS only a Unix socket or
 * loopback), so nothing is sent for a target the console would refuse, and the
 * form says why. Test Connection and Join go to the workspace's NpTeamSync, and
 * each error code it gives becomes a sentence that says what to do.
 *
 * Joined, the group shows the target, the desk's name and the sync's state as
 * it changes, and offers to leave (after a confirmation that the local ledger
 * keeps what it synced). The password is handed to the sync only: never kept
 * here, never in a property; the field is cleared once the desk has joined.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-team-ledger.h"
#include "np-team-ledger-group.h"
#include "np-team-sync.h"

#define DESK_NAME_MAX 64

struct _NpTeamLedgerGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwEntryRow         *target_row;
  AdwEntryRow         *password_row;
  AdwEntryRow         *desk_row;
  GtkWidget           *actions_row;
  GtkSpinner          *spinner;
  AdwActionRow        *joined_target_row;
  AdwActionRow        *joined_desk_row;
  AdwActionRow        *joined_state_row;
  GtkWidget           *leave_row;
  GtkLabel            *message_label;

  NpWorkspace         *workspace;
  NpTeamSync          *sync;
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             form_valid;
};

G_DEFINE_FINAL_TYPE (NpTeamLedgerGroup, np_team_ledger_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

NpTeamLedgerGroup *
np_team_ledger_group_new (NpWorkspace *workspace)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  return g_object_new (NP_TYPE_TEAM_LEDGER_GROUP, "workspace", workspace, NULL);
}

gboolean
np_team_ledger_group_get_busy (NpTeamLedgerGroup *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER_GROUP (self), FALSE);

  return self->busy;
}

static char *
dup_trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* What Test Connection or Join says for each way a team ledger can refuse a
 * desk: what happened and what to do. The team ledger's own sentence, with the
 * server's words, follows on a line of its own. */
static const char *
describe_lead (const GError *error)
{
  if (error->domain != NP_TEAM_LEDGER_ERROR)
    return NULL;

  switch ((NpTeamLedgerError) error->code)
    {
    case NP_TEAM_LEDGER_ERROR_AUTHENTICATION:
      return _("The server refused the password for this user. Check the password, and the user name in the URI.");
    case NP_TEAM_LEDGER_ERROR_UNKNOWN_DATABASE:
      return _("The server has no database of that name. Check the database named at the end of the URI.");
    case NP_TEAM_LEDGER_ERROR_SERVER_TOO_OLD:
      return _("The server’s PostgreSQL is too old: a team ledger needs PostgreSQL 13 or newer.");
    case NP_TEAM_LEDGER_ERROR_TLS:
      return _("The encrypted connection could not be set up. Check the sslmode in the URI and the server’s certificate.");
    case NP_TEAM_LEDGER_ERROR_PERMISSION:
      return _("This database role lacks rights a desk needs. Ask the database administrator to grant it np_desk (see team-ledger.sql).");
    case NP_TEAM_LEDGER_ERROR_UNREACHABLE:
      return _("No PostgreSQL server answered there. Check the host, the port and that the server is running.");
    case NP_TEAM_LEDGER_ERROR_NO_SCHEMA:
      return _("This database holds no team ledger, and this role may not create one. Ask the database administrator to run team-ledger.sql.");
    case NP_TEAM_LEDGER_ERROR_SCHEMA_TOO_NEW:
      return _("The team ledger was made by a newer console. Update the console on this desk before it joins.");
    case NP_TEAM_LEDGER_ERROR_MIGRATION:
      return _("Creating or updating the team ledger’s tables failed; nothing changed.");
    case NP_TEAM_LEDGER_ERROR_INSECURE:
    case NP_TEAM_LEDGER_ERROR_INVALID:
      return NULL;   /* the check's own sentence says it all */
    case NP_TEAM_LEDGER_ERROR_NOT_CONNECTED:
    case NP_TEAM_LEDGER_ERROR_CONNECTION_LOST:
      return _("The connection to the team ledger was lost. Try again.");
    case NP_TEAM_LEDGER_ERROR_LOCKED:
    case NP_TEAM_LEDGER_ERROR_NOT_PENDING:
    case NP_TEAM_LEDGER_ERROR_QUERY:
    default:
      return NULL;
    }
}

static char *
describe_error (const GError *error)
{
  const char *lead = describe_lead (error);

  if (lead == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s\n%s", lead, error->message);
}

static void
set_busy (NpTeamLedgerGroup *self,
          gboolean           busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_actions (NpTeamLedgerGroup *self)
{
  NpTeamState state = self->sync != NULL ? np_team_sync_get_state (self->sync) : NP_TEAM_STATE_OFF;
  gboolean off = state == NP_TEAM_STATE_OFF;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.test", off && self->form_valid && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.join", off && self->form_valid && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "team.leave", !off && !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->desk_row), !self->busy);
}

/* Checks the form as it is typed: the target first (what is sent), then the
 * desk's name. Says what is wrong, and only enables Test and Join when nothing is. */
static void
validate_form (NpTeamLedgerGroup *self,
               gboolean           say)
{
  g_autofree char *target = dup_trimmed (self->target_row);
  g_autofree char *desk = dup_trimmed (self->desk_row);
  g_autoptr(GError) error = NULL;
  const char *problem = NULL;
  gboolean target_ok;

  target_ok = *target == '\0' || np_team_ledger_check_target (target, &error);
  if (!target_ok)
    problem = error->message;
  else if (*desk == '\0')
    problem = _("Enter a name for this desk: the other desks see it beside what it does.");
  else if (g_utf8_strlen (desk, -1) > DESK_NAME_MAX)
    problem = _("A desk name has at most 64 characters.");

  if (target_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->target_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->target_row), "error");

  if (*desk != '\0' && g_utf8_strlen (desk, -1) <= DESK_NAME_MAX)
    gtk_widget_remove_css_class (GTK_WIDGET (self->desk_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->desk_row), "error");

  self->form_valid = *target != '\0' && problem == NULL;
  if (say)
    np_feedback_form_message (self->message_label, problem != NULL ? NP_FORM_ERROR : NP_FORM_IDLE, problem);
  update_actions (self);
}

static void
on_form_changed (NpTeamLedgerGroup *self)
{
  if (!self->busy)
    validate_form (self, TRUE);
}

/* The form while on the local ledger; the target, desk and state once joined. */
static void
update_view (NpTeamLedgerGroup *self)
{
  NpTeamState state = self->sync != NULL ? np_team_sync_get_state (self->sync) : NP_TEAM_STATE_OFF;
  gboolean joined = state != NP_TEAM_STATE_OFF;
  const char *status = self->sync != NULL ? np_team_sync_get_status_text (self->sync) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->target_row), !joined);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !joined);
  gtk_widget_set_visible (GTK_WIDGET (self->desk_row), !joined);
  gtk_widget_set_visible (self->actions_row, !joined);
  gtk_widget_set_visible (GTK_WIDGET (self->joined_target_row), joined);
  gtk_widget_set_visible (GTK_WIDGET (self->joined_desk_row), joined);
  gtk_widget_set_visible (GTK_WIDGET (self->joined_state_row), joined);
  gtk_widget_set_visible (self->leave_row, joined);

  if (joined)
    {
      const char *target = np_team_sync_get_target (self->sync);
      const char *desk = np_team_sync_get_desk_name (self->sync);

      adw_action_row_set_subtitle (self->joined_target_row, target != NULL ? target : "");
      adw_action_row_set_subtitle (self->joined_desk_row, desk != NULL ? desk : "");
      adw_action_row_set_subtitle (self->joined_state_row, status != NULL ? status : "");
    }

  update_actions (self);
}

static void
on_sync_changed (NpTeamLedgerGroup *self)
{
  update_view (self);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  NpTeamLedgerGroup *self;
  gboolean ok;

  ok = np_team_sync_test_finish (NP_TEAM_SYNC (source), result, &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the group is gone */

  self = user_data;
  set_busy (self, FALSE);
  if (ok)
    np_feedback_form_message (self->message_label, NP_FORM_DONE,
                              _("The team ledger answered and this desk may use it: it can join."));
  else
    {
      g_autofree char *text = describe_error (error);

      np_feedback_form_message (self->message_label, NP_FORM_ERROR, text);
    }
  update_actions (self);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (widget);
  g_autofree char *target = dup_trimmed (self->target_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  validate_form (self, TRUE);
  if (!self->form_valid || self->busy)
    return;

  set_busy (self, TRUE);
  update_actions (self);
  np_feedback_form_message (self->message_label, NP_FORM_WORKING, _("Testing the connection…"));
  np_team_sync_test_async (self->sync, target, *password != '\0' ? password : NULL,
                           self->cancellable, on_tested, self);
}

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  NpTeamLedgerGroup *self;
  gboolean ok;

  ok = np_team_sync_join_finish (NP_TEAM_SYNC (source), result, &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  set_busy (self, FALSE);
  if (ok)
    {
      /* In the keyring now: nothing of it stays in a widget. */
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      np_feedback_form_message (self->message_label, NP_FORM_DONE,
                                _("This desk has joined the team ledger."));
    }
  else
    {
      g_autofree char *text = describe_error (error);

      np_feedback_form_message (self->message_label, NP_FORM_ERROR, text);
    }
  update_view (self);
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (widget);
  g_autofree char *target = dup_trimmed (self->target_row);
  g_autofree char *desk = dup_trimmed (self->desk_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  validate_form (self, TRUE);
  if (!self->form_valid || self->busy)
    return;

  set_busy (self, TRUE);
  update_actions (self);
  np_feedback_form_message (self->message_label, NP_FORM_WORKING, _("Joining the team ledger…"));
  np_team_sync_join_async (self->sync, target, *password != '\0' ? password : NULL, desk,
                           self->cancellable, on_joined, self);
}

static void
on_leave_confirmed (GtkWidget *owner)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (owner);

  np_team_sync_leave (self->sync);
  np_feedback_form_message (self->message_label, NP_FORM_DONE,
                            _("This desk is back on its own ledger, with everything it synced."));
  validate_form (self, FALSE);
  update_view (self);
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  np_feedback_confirm (widget,
                       _("Leave the Team Ledger"),
                       _("This desk goes back to a ledger of its own. That ledger keeps every "
                         "checkout, customer and activity entry synced so far; the other desks "
                         "and the team ledger are not changed. This desk no longer sees their "
                         "work, and its refunds are no longer locked against theirs."),
                       _("_Leave"),
                       FALSE, on_leave_confirmed, NULL);
}

static void
np_team_ledger_group_constructed (GObject *object)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (object);

  G_OBJECT_CLASS (np_team_ledger_group_parent_class)->constructed (object);

  g_assert (self->workspace != NULL);
  self->sync = np_workspace_get_team_sync (self->workspace);
  g_assert (self->sync != NULL);
  g_object_ref (self->sync);

  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (on_sync_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::status-text", G_CALLBACK (on_sync_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::target", G_CALLBACK (on_sync_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::desk-name", G_CALLBACK (on_sync_changed), self, G_CONNECT_SWAPPED);

  /* Other desks know this one by its host's name, unless given another. */
  gtk_editable_set_text (GTK_EDITABLE (self->desk_row), g_get_host_name ());
  validate_form (self, FALSE);
  update_view (self);
}

static void
np_team_ledger_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_ledger_group_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (object);

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
np_team_ledger_group_dispose (GObject *object)
{
  NpTeamLedgerGroup *self = NP_TEAM_LEDGER_GROUP (object);

  /* A test or join under way ends cancelled and finds nobody to tell. */
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_TEAM_LEDGER_GROUP);
  g_clear_object (&self->sync);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_team_ledger_group_parent_class)->dispose (object);
}

static void
np_team_ledger_group_class_init (NpTeamLedgerGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = np_team_ledger_group_constructed;
  object_class->get_property = np_team_ledger_group_get_property;
  object_class->set_property = np_team_ledger_group_set_property;
  object_class->dispose = np_team_ledger_group_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/accounts/np-team-ledger-group.ui");
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, target_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, desk_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, actions_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, joined_target_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, joined_desk_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, joined_state_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, leave_row);
  gtk_widget_class_bind_template_child (widget_class, NpTeamLedgerGroup, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);

  gtk_widget_class_install_action (widget_class, "team.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "team.join", NULL, join_action);
  gtk_widget_class_install_action (widget_class, "team.leave", NULL, leave_action);
}

static void
np_team_ledger_group_init (NpTeamLedgerGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  np_feedback_name_peek_button (GTK_WIDGET (self->password_row), _("Show Password"));
}
