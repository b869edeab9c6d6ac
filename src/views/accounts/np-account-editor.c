/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-editor.c — add or edit an account, and test its connection.
 *
 * The form checks the base URL as it is typed (np_client_check_base_url) and
 * enables Save only when everything is valid. When editing, an empty key field
 * keeps the stored key. The key text is handed to NpAccounts and to the connection
 * test only: never logged, never put in a property, cleared once saved. An
 * account shared by the team ledger without a key on this desk is said so.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-account-editor.h"
#include "np-client.h"
#include "np-keyring.h"

#define DEFAULT_BASE_URL "https://api.neuro-admin.com"

struct _NpAccountEditor
{
  AdwWindow           parent_instance;

  GtkWidget          *save_button;
  AdwEntryRow        *name_row;
  AdwEntryRow        *url_row;
  GtkDropDown        *environment_dropdown;
  AdwEntryRow        *key_row;
  GtkLabel           *form_message_label;
  GtkWidget          *shared_key_label;
  AdwActionRow       *test_row;
  GtkSpinner         *test_spinner;
  GtkWidget          *test_button;
  GtkWidget          *keyring_label;

  NpWorkspace        *workspace;
  NpAccount          *account;        /* NULL: adding */
  GCancellable       *cancellable;
  GCancellable       *test_cancellable;
  gboolean            testing;
  gboolean            saving;
  gboolean            has_result;
  gboolean            focused_once;
  NpConnectionResult  result;
};

G_DEFINE_FINAL_TYPE (NpAccountEditor, np_account_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

NpAccountEditor *
np_account_editor_new (GtkWindow   *parent,
                       NpWorkspace *workspace,
                       NpAccount   *account)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (account == NULL || NP_IS_ACCOUNT (account), NULL);

  return g_object_new (NP_TYPE_ACCOUNT_EDITOR,
                       "transient-for", parent,
                       "workspace", workspace,
                       "account", account,
                       NULL);
}

void
np_account_editor_set_base_url (NpAccountEditor *self,
                                const char      *base_url)
{
  g_return_if_fail (NP_IS_ACCOUNT_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), base_url != NULL ? base_url : "");
}

gboolean
np_account_editor_get_connection_result (NpAccountEditor    *self,
                                         NpConnectionResult *out_result)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_EDITOR (self), FALSE);

  if (self->has_result && out_result != NULL)
    *out_result = self->result;
  return self->has_result;
}

gboolean
np_account_editor_get_busy (NpAccountEditor *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_EDITOR (self), FALSE);

  return self->testing || self->saving;
}

static NpAccounts *
get_accounts (NpAccountEditor *self)
{
  return np_workspace_get_accounts (self->workspace);
}

static char *
dup_trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static NpEnvironment
get_environment (NpAccountEditor *self)
{
  return gtk_drop_down_get_selected (self->environment_dropdown) == 1 ? NP_ENVIRONMENT_LIVE : NP_ENVIRONMENT_TEST;
}

static gboolean
has_key_text (NpAccountEditor *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->key_row)) != '\0';
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* A name is a label in the switcher and the keyring, not a place for pasted text. */
#define NAME_MAX_CHARS 100
/* Keys are opaque tokens sent in a header; far longer ones are a paste gone wrong. */
#define KEY_MAX_CHARS  4096

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static const char *
name_problem (const char *name)
{
  if (g_utf8_strlen (name, -1) > NAME_MAX_CHARS)
    return _("The name is too long: at most 100 characters.");
  if (has_control_characters (name))
    return _("The name cannot contain control characters.");
  return NULL;
}

static const char *
key_problem (const char *key)
{
  if (g_utf8_strlen (key, -1) > KEY_MAX_CHARS)
    return _("This is too long for an API key: check what was pasted.");
  if (has_control_characters (key))
    return _("The API key cannot contain control characters.");
  for (const char *p = key; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return _("An API key has no spaces: check what was pasted.");
  return NULL;
}

/* Checks the form; says what is wrong under it and enables Save and Test. */
static void
np_account_editor_validate (NpAccountEditor *self)
{
  g_autofree char *name = dup_trimmed (self->name_row);
  g_autofree char *url = dup_trimmed (self->url_row);
  g_autoptr(GError) url_error = NULL;
  const char *message = NULL;
  const char *bad_name;
  const char *bad_key;
  NpAccount *same_name;
  gboolean url_ok, name_ok, key_ok;

  if (self->workspace == NULL)
    return;  /* still being built from the template */

  url_ok = np_client_check_base_url (url, &url_error);
  same_name = *name ? np_accounts_find_by_name (get_accounts (self), name) : NULL;
  bad_name = name_problem (name);
  name_ok = *name != '\0' && bad_name == NULL && (same_name == NULL || same_name == self->account);
  bad_key = key_problem (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  /* Editing keeps the stored key when the field is left empty. */
  key_ok = (self->account != NULL || has_key_text (self)) && bad_key == NULL;

  set_row_error (self->url_row, !url_ok && *url != '\0');
  set_row_error (self->name_row, *name != '\0' && !name_ok);
  set_row_error (self->key_row, bad_key != NULL);

  if (bad_name != NULL)
    message = bad_name;
  else if (*name != '\0' && !name_ok)
    message = _("An account with this name already exists.");
  else if (!url_ok && *url != '\0')
    message = url_error->message;
  else if (bad_key != NULL)
    message = bad_key;
  else if (*url == '\0')
    message = _("Enter the API base URL, for example https://api.neuro-admin.com.");

  /* A hint on an untouched form, an error once something was typed. */
  np_feedback_form_message (self->form_message_label,
                            (*url != '\0' || *name != '\0' || bad_key != NULL) ? NP_FORM_ERROR : NP_FORM_WORKING,
                            message);

  gtk_widget_set_sensitive (self->save_button, name_ok && url_ok && key_ok && !self->saving);
  gtk_widget_set_sensitive (self->test_button, url_ok && key_ok && !self->testing);
}

static void
on_form_changed (NpAccountEditor *self)
{
  /* A result is about the fields it was run with. */
  if (self->has_result)
    {
      self->has_result = FALSE;
      adw_action_row_set_subtitle (self->test_row, _("The details changed: test again."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
    }
  np_account_editor_validate (self);
}

static void
set_testing (NpAccountEditor *self,
             gboolean         testing)
{
  self->testing = testing;
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  np_account_editor_validate (self);
}

/* Used when the test gives no sentence of its own. */
static const char *
describe_result (NpConnectionResult result)
{
  switch (result)
    {
    case NP_CONNECTION_OK:
      return _("Connected: the API key was accepted.");
    case NP_CONNECTION_UNAUTHORIZED:
      return _("The server refused the API key: it may be wrong, blocked or expired.");
    case NP_CONNECTION_WRONG_URL:
      return _("No Neuro-Pay API answered at this base URL.");
    case NP_CONNECTION_TLS:
      return _("A secure connection could not be made: the certificate was not accepted.");
    case NP_CONNECTION_INVALID_URL:
      return _("The base URL must start with https:// (http:// only for this computer).");
    case NP_CONNECTION_SERVER:
    default:
      return _("The server is not answering properly right now. Try again later.");
    }
}

static void
on_connection_tested (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  NpAccountEditor *self = user_data;
  g_autofree char *message = NULL;
  NpConnectionResult outcome;

  outcome = np_accounts_test_connection_finish (NP_ACCOUNTS (source), result, &message);
  if (g_cancellable_is_cancelled (self->test_cancellable))
    {
      g_object_unref (self);
      return;
    }

  self->result = outcome;
  self->has_result = TRUE;
  set_testing (self, FALSE);
  adw_action_row_set_subtitle (self->test_row, message && *message ? message : describe_result (outcome));
  if (outcome == NP_CONNECTION_OK)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
    }
  g_object_unref (self);
}

static void
np_account_editor_test_with_key (NpAccountEditor *self,
                                 const char      *api_key)
{
  g_autofree char *url = dup_trimmed (self->url_row);

  np_accounts_test_connection_async (get_accounts (self), url, api_key ? api_key : "",
                                     self->test_cancellable, on_connection_tested, g_object_ref (self));
}

static void
on_stored_key_for_test (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  NpAccountEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);
  if (g_cancellable_is_cancelled (self->test_cancellable))
    {
      g_object_unref (self);
      return;
    }

  if (key == NULL)
    {
      g_autofree char *message = error ? np_workspace_describe_error (error)
                                       : g_strdup (_("No key is stored for this account: enter one."));

      set_testing (self, FALSE);
      adw_action_row_set_subtitle (self->test_row, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
      g_object_unref (self);
      return;
    }

  np_account_editor_test_with_key (self, key);
  g_object_unref (self);
}

static void
on_test_clicked (NpAccountEditor *self)
{
  if (self->testing)
    return;

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  self->has_result = FALSE;
  set_testing (self, TRUE);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");

  if (has_key_text (self))
    np_account_editor_test_with_key (self, gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  else if (self->account != NULL)
    np_accounts_lookup_key_async (get_accounts (self), self->account, self->test_cancellable,
                                  on_stored_key_for_test, g_object_ref (self));
}

/* Focus leaves the entries first: a text field destroyed while focused never gets
 * its focus-out, and GTK warns about it. */
static void
np_account_editor_close (NpAccountEditor *self)
{
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_saving (NpAccountEditor *self,
            gboolean         saving)
{
  self->saving = saving;
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->environment_dropdown), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), !saving);
  np_account_editor_validate (self);
}

static void
show_form_error (NpAccountEditor *self,
                 const GError    *error)
{
  g_autofree char *message = np_workspace_describe_error (error);

  np_feedback_form_message (self->form_message_label, NP_FORM_ERROR, message);
}

/* Without a keyring the account is saved but its key only lives until the app quits:
 * say so where the user will see it, after this window is gone. */
static void
tell_session_only (NpAccountEditor *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  np_feedback_message (GTK_WIDGET (parent), _("Key Kept for This Session Only"),
                       _("The system keyring is not available, so the API key is kept in memory "
                         "until the console quits and is never written to disk. Enter it again "
                         "after a restart, or unlock the keyring."));
}

static void
np_account_editor_saved (NpAccountEditor *self,
                         NpAccount       *account,
                         const GError    *error)
{
  if (g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    tell_session_only (self);

  /* The first account connected becomes the one in use. */
  if (np_workspace_get_account (self->workspace) == NULL)
    np_workspace_set_account_async (self->workspace, account, NULL, NULL, NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  g_signal_emit (self, signals[SAVED], 0, account);
  np_account_editor_close (self);
}

static void
on_account_added (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NpAccountEditor) self = user_data;
  g_autoptr(NpAccount) account = g_object_steal_data (G_OBJECT (self), "new-account");
  g_autoptr(GError) error = NULL;

  np_accounts_add_finish (NP_ACCOUNTS (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;  /* the editor was closed meanwhile */

  set_saving (self, FALSE);
  if (error == NULL || g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    np_account_editor_saved (self, account, error);
  else
    show_form_error (self, error);
}

typedef struct {
  char          *name;
  char          *base_url;
  NpEnvironment  environment;
} AccountFields;

static void
account_fields_free (AccountFields *fields)
{
  g_free (fields->name);
  g_free (fields->base_url);
  g_free (fields);
}

static void
on_account_updated (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NpAccountEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  np_accounts_update_finish (NP_ACCOUNTS (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self);
      return;
    }

  set_saving (self, FALSE);
  if (error == NULL || g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    np_account_editor_saved (self, self->account, error);
  else
    {
      /* Put back what the account was: nothing was saved. */
      AccountFields *old = g_object_get_data (G_OBJECT (self), "old-fields");

      np_account_set_name (self->account, old->name);
      np_account_set_base_url (self->account, old->base_url);
      np_account_set_environment (self->account, old->environment);
      show_form_error (self, error);
    }
  g_object_unref (self);
}

static void
on_save_clicked (NpAccountEditor *self)
{
  g_autofree char *name = dup_trimmed (self->name_row);
  g_autofree char *url = dup_trimmed (self->url_row);
  const char *key = has_key_text (self) ? gtk_editable_get_text (GTK_EDITABLE (self->key_row)) : NULL;

  if (!gtk_widget_get_sensitive (self->save_button))
    return;

  set_saving (self, TRUE);

  if (self->account == NULL)
    {
      NpAccount *account = np_account_new (name, url, get_environment (self));

      g_object_set_data_full (G_OBJECT (self), "new-account", account, g_object_unref);
      np_accounts_add_async (get_accounts (self), account, key, self->cancellable,
                             on_account_added, g_object_ref (self));
    }
  else
    {
      AccountFields *old = g_new0 (AccountFields, 1);

      old->name = g_strdup (np_account_get_name (self->account));
      old->base_url = g_strdup (np_account_get_base_url (self->account));
      old->environment = np_account_get_environment (self->account);
      g_object_set_data_full (G_OBJECT (self), "old-fields", old, (GDestroyNotify) account_fields_free);

      np_account_set_name (self->account, name);
      np_account_set_base_url (self->account, url);
      np_account_set_environment (self->account, get_environment (self));
      np_accounts_update_async (get_accounts (self), self->account, key, self->cancellable,
                                on_account_updated, g_object_ref (self));
    }
}

static void
on_cancel_clicked (NpAccountEditor *self)
{
  np_account_editor_close (self);
}

static void
on_stored_key_for_title (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(NpAccountEditor) self = user_data;
  g_autofree char *key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, NULL);
  g_autofree char *masked = NULL;
  g_autofree char *title = NULL;

  if (key == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  masked = np_keyring_mask_key (key);
  /* Translators: %s is the stored key masked, like ••••1a2b */
  title = g_strdup_printf (_("API Key (empty keeps %s)"), masked);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), title);
}

static void
update_shared_key_label (NpAccountEditor *self)
{
  NpTeamSync *team_sync = np_workspace_get_team_sync (self->workspace);

  gtk_widget_set_visible (self->shared_key_label,
                          self->account != NULL && team_sync != NULL &&
                          np_team_sync_account_lacks_key (team_sync, np_account_get_id (self->account)));
}

static void
np_account_editor_constructed (GObject *object)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (object);
  NpTeamSync *team_sync;
  NpKeyring *keyring;

  G_OBJECT_CLASS (np_account_editor_parent_class)->constructed (object);

  g_assert (self->workspace != NULL);

  if (self->account != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), np_account_get_name (self->account));
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), np_account_get_base_url (self->account));
      gtk_drop_down_set_selected (self->environment_dropdown, np_account_is_live (self->account) ? 1 : 0);
      np_accounts_lookup_key_async (get_accounts (self), self->account, self->cancellable,
                                    on_stored_key_for_title, g_object_ref (self));
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), DEFAULT_BASE_URL);

  /* A shared account came from another desk; its key did not (keys are never
   * shared). Said as long as it is so, also when the sync learns it meanwhile. */
  team_sync = np_workspace_get_team_sync (self->workspace);
  if (self->account != NULL && team_sync != NULL)
    {
      g_signal_connect_object (team_sync, "account-keys-changed", G_CALLBACK (update_shared_key_label), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (team_sync, "notify::state", G_CALLBACK (update_shared_key_label), self,
                               G_CONNECT_SWAPPED);
    }
  update_shared_key_label (self);

  keyring = np_accounts_get_keyring (get_accounts (self));
  gtk_widget_set_visible (self->keyring_label, keyring != NULL && np_keyring_is_session_only (keyring));

  /* Filling the fields is not an edit. */
  self->has_result = FALSE;
  np_account_editor_validate (self);
}

/* The name field takes the focus once the window is mapped: grabbing it in
 * constructed () made GTK 4.8 create the window's accessible before it was a
 * toplevel, so AT-SPI saw a never-showing "filler" and nothing inside it. */
static void
np_account_editor_map (GtkWidget *widget)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (widget);

  GTK_WIDGET_CLASS (np_account_editor_parent_class)->map (widget);

  if (!self->focused_once)
    {
      self->focused_once = TRUE;
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
}

static void
np_account_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_editor_dispose (GObject *object)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_ACCOUNT_EDITOR);
  g_clear_object (&self->workspace);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (np_account_editor_parent_class)->dispose (object);
}

static void
np_account_editor_finalize (GObject *object)
{
  NpAccountEditor *self = NP_ACCOUNT_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);

  G_OBJECT_CLASS (np_account_editor_parent_class)->finalize (object);
}

static void
np_account_editor_class_init (NpAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = np_account_editor_constructed;
  object_class->get_property = np_account_editor_get_property;
  object_class->set_property = np_account_editor_set_property;
  object_class->dispose = np_account_editor_dispose;
  object_class->finalize = np_account_editor_finalize;
  widget_class->map = np_account_editor_map;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         NP_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, NP_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/accounts/np-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, url_row);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, environment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, form_message_label);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, NpAccountEditor, shared_key_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_account_editor_init (NpAccountEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->test_cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* libadwaita 1.2 leaves an untitled group's list and the password row's peek
   * button without names: a screen reader would say only "list" and "button". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->name_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Account"), -1);
  np_feedback_name_peek_button (GTK_WIDGET (self->key_row), _("Show API Key"));
}
