/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-application.c — app-wide actions, command-line options and startup.
 *
 * The application owns what outlives a window: settings, the ledger, the keyring,
 * the accounts and the workspace (with its embedded sandbox). It remembers the
 * current account in GSettings (its ledger id only: keys live in the keyring).
 *
 * A change sent to Neuro-Pay (a refund, a capture...) is the workspace's, not a
 * window's: while one is in flight the application is held, so closing the
 * window leaves the process running until the answer comes, and a notification
 * says what happened. Quitting waits for it too, as an editor waits on unsaved
 * work, saying so; a second quit leaves at once and the journal says unknown.
 *
 * --team TARGET (and --desk NAME) join this desk to a team ledger at start, with
 * no form: for a desk set up by a script (build-aux/run-team-demo). The password,
 * if the server asks for one, comes from libpq's own sources (PGPASSFILE, a
 * service file) or peer authentication; it is never an argument.
 */
#include "config.h"

#include <glib/gi18n.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "np-account-editor.h"
#include "np-toast.h"
#include "np-application.h"
#include "np-customer-display.h"
#include "np-feedback.h"
#include "np-instrument.h"
#include "np-keyring.h"
#include "np-money.h"
#include "np-preferences-window.h"
#include "np-team-keyring.h"
#include "np-team-ledger.h"
#include "np-window.h"

struct _NpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *base_url;     /* --base-url, for this run only */
  gboolean        use_sandbox;  /* --sandbox */
  char           *team_target;  /* --team */
  char           *team_desk;    /* --desk */

  NpLedger       *ledger;
  NpKeyring      *keyring;
  NpAccounts     *accounts;
  NpWorkspace    *workspace;
  NpTeamSync     *team_sync;
  GError         *startup_error;
  GCancellable   *cancellable;
  gboolean        restored;     /* the first activation chose the current account */
  NpAccount      *key_after_frame;  /* shown at start, its key looked up after the first frame */
  int             exit_status;

  gboolean        mutations_held;  /* g_application_hold () while mutations are in flight */
  gboolean        quitting;        /* a quit waits for them */
  GtkWindow      *quit_dialog;
  guint           quit_deadline;   /* a source: the quit stops waiting */
};

G_DEFINE_FINAL_TYPE (NpApplication, np_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "verify-audit-trail", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Verify the journal’s audit trail and exit (status 1 names the first row that does not match)"), NULL },
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start the embedded sandbox and connect to it"), NULL },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Use this API base URL for this run"), N_("URL") },
  { "team", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Join the team ledger at this PostgreSQL URI or service (the password from PGPASSFILE or peer authentication)"),
    N_("TARGET") },
  { "desk", 0, 0, G_OPTION_ARG_STRING, NULL, N_("This desk’s name in the team ledger (with --team; default: the host name)"),
    N_("NAME") },
  { NULL }
};

NpApplication *
np_application_new (void)
{
  NpApplication *self = g_object_new (NP_TYPE_APPLICATION,
                                      "application-id", APP_ID,
                                      /* --gapplication-app-id: a second desk on one session (run-team-demo) */
                                      "flags", G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_CAN_OVERRIDE_APP_ID,
                                      NULL);

  /* No resource base path (GApplication derives one from the id): with one,
   * GtkApplication adds its icons to the icon theme at startup, just after GTK
   * 4.8 began loading the theme on a thread, and libadwaita then adds its own:
   * each addition throws the loaded theme away (the main thread waiting for a
   * load in progress first) and the first icon loads it again. The style sheet
   * and our icons are added by us (np_application_startup (),
   * np_application_add_icons ()). */
  g_application_set_resource_base_path (G_APPLICATION (self), NULL);

  return self;
}

/* Our one icon, the application's, is on the about window and the first-run
 * page only; the theme loads again when a path is added, so not at startup. */
void
np_application_add_icons (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_auto(GStrv) paths = gtk_icon_theme_get_resource_path (theme);

  if (paths == NULL || !g_strv_contains ((const char * const *) paths, RESOURCE_PREFIX "/icons"))
    gtk_icon_theme_add_resource_path (theme, RESOURCE_PREFIX "/icons");
}

GSettings *
np_application_get_settings (NpApplication *self)
{
  g_return_val_if_fail (NP_IS_APPLICATION (self), NULL);

  return self->settings;
}

NpWorkspace *
np_application_get_workspace (NpApplication *self)
{
  g_return_val_if_fail (NP_IS_APPLICATION (self), NULL);

  return self->workspace;
}

int
np_application_get_exit_status (NpApplication *self)
{
  g_return_val_if_fail (NP_IS_APPLICATION (self), 1);

  return self->exit_status;
}

static void
np_application_toast (NpApplication *self,
                      const char    *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwToast *toast;

  if (!NP_IS_WINDOW (window))
    {
      g_warning ("%s", message);
      return;
    }

  toast = np_toast_new (message);
  adw_toast_set_timeout (toast, 0);  /* an error stays until read */
  np_window_add_toast (NP_WINDOW (window), toast);
}

static void
on_set_account_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NpApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!np_workspace_set_account_finish (NP_WORKSPACE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = np_workspace_describe_error (error);

      np_application_toast (self, message);
    }
}

static void
np_application_set_account (NpApplication *self,
                            NpAccount     *account)
{
  np_workspace_set_account_async (self->workspace, account, self->cancellable,
                                  on_set_account_done, g_object_ref (self));
}

static void
on_start_sandbox_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(NpApplication) self = user_data;
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = np_workspace_start_sandbox_finish (NP_WORKSPACE (source), result, &error);
  if (account == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = np_workspace_describe_error (error);

      np_application_toast (self, message);
    }
}

void
np_application_start_sandbox (NpApplication *self)
{
  g_return_if_fail (NP_IS_APPLICATION (self));
  g_return_if_fail (self->workspace != NULL);

  np_workspace_start_sandbox_async (self->workspace, self->cancellable,
                                    on_start_sandbox_done, g_object_ref (self));
}

/* The embedded sandbox's account ("Sandbox", test, see np_workspace_start_sandbox_async ())
 * only works while the sandbox runs: choosing it starts the sandbox, which also brings
 * its base URL up to date (a new port each run). */
gboolean
np_application_is_stopped_sandbox (NpApplication *self,
                                   NpAccount     *account)
{
  g_autofree char *sandbox_url = NULL;

  g_return_val_if_fail (NP_IS_APPLICATION (self), FALSE);

  if (account == NULL || np_account_is_live (account) ||
      g_strcmp0 (np_account_get_name (account), "Sandbox") != 0)
    return FALSE;

  g_object_get (self->workspace, "sandbox-url", &sandbox_url, NULL);
  return sandbox_url == NULL;
}

/* The account of the last run, else the first one there is; none on a first run. */
static NpAccount *
np_application_find_last_account (NpApplication *self)
{
  GListModel *model = G_LIST_MODEL (self->accounts);
  gint64 id = g_settings_get_int64 (self->settings, "current-account");
  NpAccount *account = NULL;

  if (id != 0)
    account = np_accounts_find (self->accounts, id);
  if (account != NULL)
    return g_object_ref (account);

  return g_list_model_get_n_items (model) > 0 ? g_list_model_get_item (model, 0) : NULL;
}

static void
np_application_restore_account (NpApplication *self)
{
  g_autoptr(NpAccount) account = np_application_find_last_account (self);

  if (np_application_is_stopped_sandbox (self, account))
    np_application_start_sandbox (self);
  else if (account != NULL)
    np_application_set_account (self, account);
}

/* At start, the account is shown at once (the pages are built for it) and its
 * key looked up once the window has drawn its first frame: the first call to
 * the Secret Service opens its session with a Diffie-Hellman exchange computed
 * on the main thread (11 M instructions of libgcrypt), which lands before the
 * first frame whenever the bus answers quickly. No client is made before the
 * key is found either way. */
static void
np_application_show_last_account (NpApplication *self)
{
  g_autoptr(NpAccount) account = np_application_find_last_account (self);

  if (np_application_is_stopped_sandbox (self, account))
    {
      np_application_start_sandbox (self);
    }
  else if (account != NULL)
    {
      np_workspace_show_account (self->workspace, account);
      g_set_object (&self->key_after_frame, account);
    }
}

static void
np_application_look_up_shown_key (NpApplication *self)
{
  g_autoptr(NpAccount) account = g_steal_pointer (&self->key_after_frame);

  /* Once; and not if another account was chosen meanwhile. */
  if (account != NULL && self->workspace != NULL && np_workspace_get_account (self->workspace) == account)
    np_application_set_account (self, account);
}

static void
on_first_frame_painted (GdkFrameClock *clock,
                        NpApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_painted, self);
  np_application_look_up_shown_key (self);
}

/* In case no frame is drawn (a window that is not shown after all). */
static gboolean
look_up_key_anyway (gpointer user_data)
{
  np_application_look_up_shown_key (NP_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
np_application_look_up_key_after_frame (NpApplication *self,
                                        GtkWindow     *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  if (self->key_after_frame == NULL)
    return;

  if (surface == NULL)
    {
      np_application_look_up_shown_key (self);
      return;
    }

  g_signal_connect_object (gdk_surface_get_frame_clock (surface), "after-paint",
                           G_CALLBACK (on_first_frame_painted), self, 0);
  g_timeout_add_seconds_full (G_PRIORITY_LOW, 2, look_up_key_anyway, g_object_ref (self), g_object_unref);
}

/* --base-url: the account already connected there, or the editor to connect one. */
static void
np_application_open_base_url (NpApplication *self,
                              GtkWindow     *window)
{
  NpAccount *account = np_accounts_find_by_base_url (self->accounts, self->base_url);
  NpAccountEditor *editor;

  if (account != NULL)
    {
      np_application_set_account (self, account);
      return;
    }

  np_application_restore_account (self);
  editor = np_account_editor_new (NULL, self->workspace, NULL);
  np_account_editor_set_base_url (editor, self->base_url);
  np_feedback_present_dialog (GTK_WIDGET (window), GTK_WINDOW (editor));
}

static void
on_workspace_account_changed (NpApplication *self,
                              GParamSpec    *pspec,
                              NpWorkspace   *workspace)
{
  gint64 id = np_workspace_get_account_id (workspace);

  if (g_settings_get_int64 (self->settings, "current-account") != id)
    g_settings_set_int64 (self->settings, "current-account", id);
}

/* When the current account is removed, another one (or none) takes its place. A
 * desk with no account that joins a team gets the team's first one, as it comes. */
static void
on_accounts_changed (NpApplication *self,
                     guint          position,
                     guint          removed,
                     guint          added,
                     GListModel    *model)
{
  gint64 id = np_workspace_get_account_id (self->workspace);
  NpTeamSync *sync = np_workspace_get_team_sync (self->workspace);
  g_autoptr(NpAccount) first = NULL;

  if (id == 0 && added > 0 && sync != NULL && np_team_sync_get_state (sync) != NP_TEAM_STATE_OFF)
    {
      first = g_list_model_get_item (model, 0);
      np_application_set_account (self, first);
      return;
    }

  if (id == 0 || np_accounts_find (self->accounts, id) != NULL)
    return;

  if (g_list_model_get_n_items (model) > 0)
    first = g_list_model_get_item (model, 0);

  np_application_set_account (self, first);
}

/* --team and --desk: refused here, before any window, password or connection. */
static int
np_application_handle_team_options (NpApplication *self,
                                    GVariantDict  *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *desk = NULL;
  const char *target = NULL;

  g_variant_dict_lookup (options, "team", "&s", &target);
  if (g_variant_dict_lookup (options, "desk", "s", &desk))
    {
      g_strstrip (desk);
      if (target == NULL)
        {
          g_printerr ("%s\n", _("--desk names this desk in a team ledger: give --team too."));
          return 2;
        }
      if (*desk == '\0' || g_utf8_strlen (desk, -1) > 64)
        {
          g_printerr ("%s\n", _("A desk name has 1 to 64 characters."));
          return 2;
        }
    }

  if (target == NULL)
    return -1;

  if (!np_team_ledger_check_target (target, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_free (self->team_target);
  self->team_target = g_strdup (target);
  g_free (self->team_desk);
  self->team_desk = desk != NULL ? g_steal_pointer (&desk) : g_strdup (g_get_host_name ());
  return -1;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* The team ledger this desk joined (GSettings), or NULL. */
static char *
dup_joined_team_target (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *target = NULL;

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "team-ledger-target"))
    return NULL;
  settings = g_settings_new (APP_ID);
  target = g_settings_get_string (settings, "team-ledger-target");
  return *target != '\0' ? g_steal_pointer (&target) : NULL;
}

/* --verify-audit-trail on a team desk: the team ledger's chain of every account,
 * over a connection of its own that takes no lease. The password is the
 * keyring's for a joined desk; with --team, libpq's own sources (PGPASSFILE). */
static int
verify_team_audit_trail (NpLedger   *ledger,
                         const char *target,
                         gboolean    from_keyring)
{
  g_autoptr(NpTeamLedger) team = np_team_ledger_new (g_get_host_name ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  guint n_rows = 0;

  if (from_keyring)
    {
      np_team_keyring_lookup_async (np_ledger_get_id (ledger), target, NULL, store_result, &result);
      password = np_team_keyring_lookup_finish (wait_result (&result), NULL);
      g_clear_object (&result);
    }

  np_team_ledger_connect_async (team, target, password, NULL, store_result, &result);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  if (np_team_ledger_connect_finish (team, wait_result (&result), &error))
    {
      g_clear_object (&result);
      np_team_ledger_verify_chain_async (team, NULL, NULL, store_result, &result);
      np_team_ledger_verify_chain_finish (team, wait_result (&result), &n_rows, NULL, NULL, &error);
    }
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Translators: %u is a number of journal rows */
  g_print (g_dngettext (GETTEXT_PACKAGE, "The team audit trail is intact: %u row verified.",
                        "The team audit trail is intact: %u rows verified.", n_rows), n_rows);
  g_print ("\n");
  return 0;
}

/* --verify-audit-trail: read-only, so a running console's pending rows stay its own.
 * On a team desk (joined, or --team TARGET) the team ledger's chain follows. */
static int
np_application_verify_audit_trail (GVariantDict *options)
{
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *target = NULL;
  const char *team_option = NULL;
  guint n_rows = 0;

  if (g_variant_dict_lookup (options, "team", "&s", &team_option) &&
      !np_team_ledger_check_target (team_option, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  ledger = np_ledger_open_read_only (NULL, &error);
  if (ledger == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!np_ledger_verify_chain (ledger, 0, &n_rows, &head, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Translators: %u is a number of journal rows */
  g_print (g_dngettext (GETTEXT_PACKAGE, "The audit trail is intact: %u row verified.",
                        "The audit trail is intact: %u rows verified.", n_rows), n_rows);
  g_print ("\n");

  if (team_option != NULL)
    return verify_team_audit_trail (ledger, team_option, FALSE);
  target = dup_joined_team_target ();
  if (target != NULL)
    return verify_team_audit_trail (ledger, target, TRUE);
  return 0;
}

static int
np_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  NpApplication *self = NP_APPLICATION (application);
  const char *base_url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("neuropay-console %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "verify-audit-trail"))
    return np_application_verify_audit_trail (options);

  self->use_sandbox = g_variant_dict_contains (options, "sandbox");

  if (g_variant_dict_lookup (options, "base-url", "&s", &base_url))
    {
      g_autoptr(GError) error = NULL;

      /* Refused here, before any window or key is involved. */
      if (!np_client_check_base_url (base_url, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }

      g_free (self->base_url);
      self->base_url = g_strdup (base_url);
    }

  return np_application_handle_team_options (self, options);
}

static void
on_startup_error_response (AdwMessageDialog *dialog,
                           const char       *response,
                           NpApplication    *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_application_quit (G_APPLICATION (self));
}

/* Without its ledger the console can show nothing: say why and quit. */
static void
np_application_show_startup_error (NpApplication *self)
{
  g_autofree char *path = np_ledger_dup_default_path ();
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("The Console Cannot Open Its Data"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The ledger at “%s” could not be opened: %s"),
                                  path, self->startup_error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_startup_error_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_team_joined (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!np_team_sync_join_finish (NP_TEAM_SYNC (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("This desk could not join the team ledger: %s"),
                                                  error->message);

      np_application_toast (self, message);
    }
}

/* --team: a desk already joined to that target with that name resumes (as at
 * every start); otherwise it leaves what it had joined and joins this one. */
static void
np_application_join_team (NpApplication *self)
{
  NpTeamSync *sync = np_workspace_get_team_sync (self->workspace);

  if (sync == NULL)
    return;

  if (np_team_sync_get_state (sync) != NP_TEAM_STATE_OFF &&
      g_strcmp0 (np_team_sync_get_target (sync), self->team_target) == 0 &&
      g_strcmp0 (np_team_sync_get_desk_name (sync), self->team_desk) == 0)
    return;

  if (np_team_sync_get_state (sync) != NP_TEAM_STATE_OFF)
    np_team_sync_leave (sync);
  np_team_sync_join_async (sync, self->team_target, NULL, self->team_desk, self->cancellable,
                           on_team_joined, g_object_ref (self));
}

static void
np_application_activate (GApplication *application)
{
  NpApplication *self = NP_APPLICATION (application);
  gboolean first_activation;
  GtkWindow *window;

  if (self->startup_error != NULL)
    {
      np_application_show_startup_error (self);
      return;
    }

  first_activation = !self->restored;
  self->restored = TRUE;

  /* The last account before the window is made: its pages are then built for
   * the account, not first for no account (the Overview's "No Account" page,
   * its lists' queries made for no account and made again) and then changed
   * over, and they map showing the account's data. */
  if (first_activation && !self->use_sandbox && self->base_url == NULL)
    np_application_show_last_account (self);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (np_window_new (self));

  gtk_window_present (window);
  np_application_look_up_key_after_frame (self, window);

  if (first_activation && self->team_target != NULL)
    np_application_join_team (self);

  if (first_activation && self->use_sandbox)
    np_application_start_sandbox (self);
  else if (first_activation && self->base_url != NULL)
    np_application_open_base_url (self, window);
}

static void
np_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  NpApplication *self = user_data;
  static const char *developers[] = { "Neuro-Pay Console developers", NULL };
  GtkWidget *about;

  np_application_add_icons ();
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "title", _("About Neuro-Pay Console"),
                        "application-name", _("Neuro-Pay Console"),
                        "application-icon", APP_ID,
                        "developer-name", _("Neuro-Pay Console developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Manage checkouts, refunds and customers of the Neuro-Pay Checkout API"),
                        "website", "https://paiwise.tech",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
np_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  NpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  NpPreferencesWindow *preferences;

  if (self->workspace == NULL)
    return;

  preferences = np_preferences_window_new (parent, self->workspace);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
np_application_start_sandbox_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  np_application_start_sandbox (NP_APPLICATION (user_data));
}

static void
destroy_windows (NpApplication *self)
{
  GList *windows;

  /* Closing each window lets it save its state before the app goes away. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
stop_waiting (NpApplication *self)
{
  g_clear_handle_id (&self->quit_deadline, g_source_remove);
  if (self->quit_dialog != NULL)
    {
      GtkWindow *dialog = g_steal_pointer (&self->quit_dialog);

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
      gtk_window_destroy (dialog);
    }
}

/* Leaves now: what is still in flight is journalled unknown (its answer will not
 * be heard), the windows go and, with the hold released, the application. */
static void
quit_now (NpApplication *self)
{
  stop_waiting (self);
  self->quitting = TRUE;
  if (self->workspace != NULL)
    np_workspace_abandon_mutations (self->workspace);
  destroy_windows (self);
}

static gboolean
on_quit_deadline (gpointer user_data)
{
  NpApplication *self = user_data;

  /* Past every call's deadline the client has given up already; this is only
   * the backstop. */
  self->quit_deadline = 0;
  quit_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_quit_dialog_response (AdwMessageDialog *dialog,
                         const char       *response,
                         NpApplication    *self)
{
  /* The dialog closes itself after its response. */
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  self->quit_dialog = NULL;
  g_clear_handle_id (&self->quit_deadline, g_source_remove);

  if (g_strcmp0 (response, "quit-now") == 0)
    quit_now (self);
  else
    self->quitting = FALSE;
}

/* The first quit while a change is in flight: the window stays, with a dialog
 * that says what is awaited, until the answer comes or its deadline passes. */
static void
wait_then_quit (NpApplication *self)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *heading = np_workspace_describe_mutations (self->workspace);
  gint64 remaining = np_workspace_get_mutations_deadline (self->workspace) - g_get_monotonic_time ();
  guint seconds = (guint) CLAMP (remaining / G_USEC_PER_SEC + 1, 1, G_MAXINT / 1000 - 1);
  GtkWidget *dialog;

  self->quitting = TRUE;
  dialog = adw_message_dialog_new (parent, heading, NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "The console quits when Neuro-Pay answers, within %u second. "
                                               "Quitting now leaves the outcome unknown until a refresh.",
                                               "The console quits when Neuro-Pay answers, within %u seconds. "
                                               "Quitting now leaves the outcome unknown until a refresh.",
                                               seconds), seconds);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Don’t Quit"),
                                    "quit-now", _("_Quit Now"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit-now",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_quit_dialog_response), self);
  self->quit_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  self->quit_deadline = g_timeout_add_seconds (seconds + 1, on_quit_deadline, self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
np_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  NpApplication *self = user_data;

  if (self->quitting)
    quit_now (self);   /* the second quit does not wait */
  else if (self->workspace != NULL && np_workspace_get_mutations (self->workspace) > 0)
    wait_then_quit (self);
  else
    destroy_windows (self);
}

/* What a finished mutation did, where the user will see it: a toast in the
 * window, or a notification when there is none (closed, or about to go). */
static void
tell (NpApplication *self,
      const char    *text,
      gboolean       error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (NP_IS_WINDOW (window) && !self->quitting)
    {
      AdwToast *toast = np_toast_new (text);

      if (error)
        adw_toast_set_timeout (toast, 0);  /* an error stays until read */
      np_window_add_toast (NP_WINDOW (window), toast);
    }
  else
    {
      g_autoptr(GNotification) notification = g_notification_new (text);

      g_notification_set_priority (notification, error ? G_NOTIFICATION_PRIORITY_HIGH
                                                       : G_NOTIFICATION_PRIORITY_NORMAL);
      g_application_send_notification (G_APPLICATION (self), "mutations", notification);
    }
}

static void
on_mutation_finished (NpApplication  *self,
                      NpJournalEntry *entry,
                      gboolean        detached,
                      NpWorkspace    *workspace)
{
  g_autofree char *text = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* A view still waiting for the answer tells it itself. */
  if (!detached && NP_IS_WINDOW (window) && !self->quitting)
    return;

  text = np_workspace_describe_outcome (entry);
  tell (self, text, np_journal_entry_get_state (entry) != NP_JOURNAL_STATE_SUCCEEDED);
}

static void
on_mutations_changed (NpApplication *self,
                      GParamSpec    *pspec,
                      NpWorkspace   *workspace)
{
  guint n = np_workspace_get_mutations (workspace);

  if (n > 0 && !self->mutations_held)
    {
      self->mutations_held = TRUE;
      g_application_hold (G_APPLICATION (self));
    }
  else if (n == 0 && self->mutations_held)
    {
      if (self->quitting)
        {
          stop_waiting (self);
          destroy_windows (self);
        }
      self->mutations_held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  else if (n > 0 && self->quit_dialog != NULL)
    {
      g_autofree char *heading = np_workspace_describe_mutations (workspace);

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self->quit_dialog), heading);
    }
}

/* The last window closed with a change in flight: the process stays (held) and
 * says so, as the window that would have said it is gone. */
static void
on_window_removed (NpApplication *self,
                   GtkWindow     *window)
{
  g_autofree char *text = NULL;

  if (self->quitting || self->workspace == NULL || np_workspace_get_mutations (self->workspace) == 0
      || gtk_application_get_windows (GTK_APPLICATION (self)) != NULL)
    return;

  text = np_workspace_describe_mutations (self->workspace);
  tell (self, text, FALSE);
}

/* "Order 42 paid: 125.50 SEK": the merchant's order name (its identifier, or
 * the id when it has none) and the amount by its currency's exponent. */
static char *
describe_watched (NpCheckout *checkout)
{
  const char *name = np_checkout_get_identifier (checkout) != NULL ? np_checkout_get_identifier (checkout)
                                                                   : np_checkout_get_id (checkout);
  g_autofree char *amount = np_money_format (np_checkout_get_amount (checkout), np_checkout_get_currency (checkout));

  switch (np_checkout_get_status (checkout))
    {
    case NP_CHECKOUT_STATUS_PAID:
      return g_strdup_printf (_("Order %s paid: %s"), name, amount);
    case NP_CHECKOUT_STATUS_RESERVED:
      return g_strdup_printf (_("Order %s reserved: %s"), name, amount);
    case NP_CHECKOUT_STATUS_FAILED:
      return g_strdup_printf (_("Order %s declined: %s"), name, amount);
    case NP_CHECKOUT_STATUS_CANCELED:
      return g_strdup_printf (_("Order %s cancelled: %s"), name, amount);
    default:
      return NULL;
    }
}

static NpWindow *
find_main_window (NpApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (NP_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* A watched checkout was paid (or declined...): a toast in the focused window,
 * otherwise a desktop notification whose click opens the checkout. A focused
 * customer display says it itself, in large type: no notification over the
 * customer's screen, the toast waits in the console's window. */
static void
on_watched_status_changed (NpApplication *self,
                           const char    *checkout_id,
                           NpCheckout    *checkout)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *text = describe_watched (checkout);

  if (text == NULL || self->quitting)
    return;

  if (NP_IS_CUSTOMER_DISPLAY (window) && gtk_window_is_active (window))
    {
      NpWindow *main_window = find_main_window (self);

      if (main_window != NULL)
        np_window_add_toast (main_window, np_toast_new (text));
    }
  else if (NP_IS_WINDOW (window) && gtk_window_is_active (window))
    np_window_add_toast (NP_WINDOW (window), np_toast_new (text));
  else
    {
      g_autoptr(GNotification) notification = g_notification_new (text);
      g_autofree char *id = g_strdup_printf ("watch-%s", checkout_id);

      g_notification_set_default_action_and_target (notification, "app.open-checkout", "s", checkout_id);
      g_application_send_notification (G_APPLICATION (self), id, notification);
    }
}

/* app.open-checkout (s): from a notification, so with or without a window. */
static void
np_application_open_checkout_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  NpApplication *self = NP_APPLICATION (user_data);
  /* Not the active window: that may be a customer display. */
  GtkWindow *window = GTK_WINDOW (find_main_window (self));

  if (!NP_IS_WINDOW (window))
    {
      g_application_activate (G_APPLICATION (self));
      window = GTK_WINDOW (find_main_window (self));
    }
  if (!NP_IS_WINDOW (window))
    return;
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.open-checkout", parameter);
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "about", np_application_about_action },
  { "preferences", np_application_preferences_action },
  { "start-sandbox", np_application_start_sandbox_action },
  { "quit", np_application_quit_action },
  { "open-checkout", np_application_open_checkout_action, "s" },
};

/* An account ready: its checkouts still waiting from the last day are watched. */
static void
on_workspace_client_changed (NpApplication *self)
{
  if (np_workspace_get_client (self->workspace) != NULL)
    np_checkout_watcher_watch_recent (np_workspace_get_watcher (self->workspace));
}

static gboolean
minutes_to_seconds (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static gboolean
np_application_open_services (NpApplication  *self,
                              GError        **error)
{
  self->ledger = np_ledger_open (NULL, error);
  if (self->ledger == NULL)
    return FALSE;

  self->keyring = np_keyring_new (np_ledger_get_id (self->ledger));
  self->accounts = np_accounts_new (self->ledger, self->keyring);
  self->workspace = np_workspace_new (self->ledger, self->accounts);
  self->team_sync = np_team_sync_new (self->ledger, self->accounts);
  np_workspace_set_team_sync (self->workspace, self->team_sync);

  g_signal_connect_object (self->workspace, "notify::account",
                           G_CALLBACK (on_workspace_account_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (on_accounts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::mutations",
                           G_CALLBACK (on_mutations_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "mutation-finished",
                           G_CALLBACK (on_mutation_finished), self, G_CONNECT_SWAPPED);
  g_settings_bind_with_mapping (self->settings, "watch-limit-minutes",
                                np_workspace_get_watcher (self->workspace), "limit-seconds",
                                G_SETTINGS_BIND_GET, minutes_to_seconds, NULL, NULL, NULL);
  g_settings_bind (self->settings, "refresh-max-in-flight", self->workspace, "refresh-max-in-flight",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->workspace, "notify::client",
                           G_CALLBACK (on_workspace_client_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (np_workspace_get_watcher (self->workspace), "status-changed",
                           G_CALLBACK (on_watched_status_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "window-removed", G_CALLBACK (on_window_removed), NULL);
  return TRUE;
}

/**
 * np_application_set_malloc_policy:
 *
 * glibc serves blocks of 128 KiB and more from mappings of their own, unmapped
 * when freed, but each time it frees one it raises that threshold to the
 * block's size (up to 32 MiB). After the first frames and the search index,
 * every large block (the index's arrays, a list's arrays for a query) comes
 * from the heap, which keeps the most it ever held resident: 2.7 MiB more with
 * 100,000 checkouts listed. A threshold set once stays where it is.
 *
 * At 4 MiB, and the heap's top kept up to 8 MiB: GDK 4.8 on X11 paints each
 * frame into a new image of the damaged area (3 MiB for a 1100 x 720 window)
 * and frees it after; as a mapping, or a heap top given back at each free,
 * its pages faulted in again at every frame (550 faults per keystroke in the
 * checkouts search). Kept, a frame reuses the last one's memory. 1 MiB and
 * the default trim cost 2.6 MiB less, for those faults. Called at startup;
 * public for the benches, which show views without an application.
 */
void
np_application_set_malloc_policy (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, NP_MALLOC_MMAP_THRESHOLD);
  mallopt (M_TRIM_THRESHOLD, NP_MALLOC_TRIM_THRESHOLD);
#endif
}

static void
np_application_startup (GApplication *application)
{
  NpApplication *self = NP_APPLICATION (application);
  g_autoptr(GtkCssProvider) style = NULL;

  np_application_set_malloc_policy ();
  G_APPLICATION_CLASS (np_application_parent_class)->startup (application);
  /* The benches' watch from outside (np-instrument.h); nothing without their variables. */
  np_instrument_watch (GTK_APPLICATION (application));

  style = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (style, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });

  if (!np_application_open_services (self, &self->startup_error))
    {
      self->exit_status = 1;
      g_action_map_remove_action (G_ACTION_MAP (self), "preferences");
      g_action_map_remove_action (G_ACTION_MAP (self), "start-sandbox");
    }
  else
    np_team_sync_resume (self->team_sync);
}

static void
np_application_shutdown (GApplication *application)
{
  NpApplication *self = NP_APPLICATION (application);

  /* Pending account switches must not finish into a half torn-down app; dropping
   * the workspace stops the embedded sandbox. A change still in flight (the
   * process is ending all the same) is journalled unknown now. */
  g_cancellable_cancel (self->cancellable);
  stop_waiting (self);
  if (self->workspace != NULL)
    {
      self->quitting = TRUE;
      np_workspace_abandon_mutations (self->workspace);
      g_signal_handlers_disconnect_by_data (self->workspace, self);
    }
  g_clear_object (&self->key_after_frame);
  g_clear_object (&self->workspace);
  g_clear_object (&self->team_sync);
  g_clear_object (&self->accounts);
  g_clear_object (&self->keyring);
  g_clear_object (&self->ledger);

  G_APPLICATION_CLASS (np_application_parent_class)->shutdown (application);
}

static void
np_application_finalize (GObject *object)
{
  NpApplication *self = NP_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->key_after_frame);
  g_clear_object (&self->workspace);
  g_clear_object (&self->team_sync);
  g_clear_object (&self->accounts);
  g_clear_object (&self->keyring);
  g_clear_object (&self->ledger);
  g_clear_error (&self->startup_error);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->team_target, g_free);
  g_clear_pointer (&self->team_desk, g_free);

  G_OBJECT_CLASS (np_application_parent_class)->finalize (object);
}

static void
np_application_class_init (NpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = np_application_finalize;

  app_class->handle_local_options = np_application_handle_local_options;
  app_class->startup = np_application_startup;
  app_class->shutdown = np_application_shutdown;
  app_class->activate = np_application_activate;
}

static void
np_application_init (NpApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A desktop console for the Neuro-Pay Checkout API."));
}
