/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account.c — one Neuro-Pay account the console knows about.
 *
 * A plain value object: the ledger stores it, services bind its name and
 * environment into the UI. No key here, by design.
 */
#include "np-account.h"

struct _NpAccount
{
  GObject        parent_instance;

  gint64         id;
  char          *name;
  char          *base_url;
  NpEnvironment  environment;
};

G_DEFINE_FINAL_TYPE (NpAccount, np_account, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (NpEnvironment, np_environment,
                    G_DEFINE_ENUM_VALUE (NP_ENVIRONMENT_TEST, "test"),
                    G_DEFINE_ENUM_VALUE (NP_ENVIRONMENT_LIVE, "live"))

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BASE_URL,
  PROP_ENVIRONMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
np_environment_to_string (NpEnvironment environment)
{
  return environment == NP_ENVIRONMENT_LIVE ? "live" : "test";
}

gboolean
np_environment_from_string (const char    *text,
                            NpEnvironment *out_environment)
{
  if (g_strcmp0 (text, "test") == 0)
    *out_environment = NP_ENVIRONMENT_TEST;
  else if (g_strcmp0 (text, "live") == 0)
    *out_environment = NP_ENVIRONMENT_LIVE;
  else
    return FALSE;

  return TRUE;
}

static void
np_account_finalize (GObject *object)
{
  NpAccount *self = (NpAccount *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (np_account_parent_class)->finalize (object);
}

static void
np_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NpAccount *self = NP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_ENVIRONMENT:
      g_value_set_enum (value, self->environment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  NpAccount *self = NP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      np_account_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NAME:
      np_account_set_name (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      np_account_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_ENVIRONMENT:
      np_account_set_environment (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_class_init (NpAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_account_finalize;
  object_class->get_property = np_account_get_property;
  object_class->set_property = np_account_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENVIRONMENT] =
    g_param_spec_enum ("environment", NULL, NULL,
                       NP_TYPE_ENVIRONMENT, NP_ENVIRONMENT_TEST,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_account_init (NpAccount *self)
{
}

NpAccount *
np_account_new (const char    *name,
                const char    *base_url,
                NpEnvironment  environment)
{
  return g_object_new (NP_TYPE_ACCOUNT,
                       "name", name,
                       "base-url", base_url,
                       "environment", environment,
                       NULL);
}

gint64
np_account_get_id (NpAccount *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT (self), 0);

  return self->id;
}

void
np_account_set_id (NpAccount *self,
                   gint64     id)
{
  g_return_if_fail (NP_IS_ACCOUNT (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
np_account_get_name (NpAccount *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
np_account_set_name (NpAccount  *self,
                     const char *name)
{
  g_return_if_fail (NP_IS_ACCOUNT (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
np_account_get_base_url (NpAccount *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT (self), NULL);

  return self->base_url;
}

void
np_account_set_base_url (NpAccount  *self,
                         const char *base_url)
{
  g_return_if_fail (NP_IS_ACCOUNT (self));

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

NpEnvironment
np_account_get_environment (NpAccount *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT (self), NP_ENVIRONMENT_TEST);

  return self->environment;
}

void
np_account_set_environment (NpAccount     *self,
                            NpEnvironment  environment)
{
  g_return_if_fail (NP_IS_ACCOUNT (self));

  if (self->environment == environment)
    return;

  self->environment = environment;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVIRONMENT]);
}

gboolean
np_account_is_live (NpAccount *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT (self), FALSE);

  return self->environment == NP_ENVIRONMENT_LIVE;
}
