/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace-sample.c — sample data for the embedded sandbox, made by the console.
 *
 * The plan and its walk are the sandbox's (np-sample-plan.h); this file gives the
 * walk the workspace's own operations, so every create, capture and refund is
 * journalled and stored exactly as if a person had made it, and every payment is
 * learnt by a look-up after the sandbox's payment page, as a refresh would.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-sample-plan.h"
#include "np-workspace-private.h"

typedef struct {
  NpWorkspace *workspace;
  gint64       started;
} SampleRun;

static void
on_checkout (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError *error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);

  np_sample_runner_return (user_data, G_OBJECT (checkout), error);
}

static void
on_customer (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError *error = NULL;
  g_autoptr(NpCustomer) customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);

  np_sample_runner_return (user_data, G_OBJECT (customer), error);
}

/* Mutations belong to the workspace: no cancellable, they run to their answer. */
static void
op_create_customer (NpSampleRunner     *runner,
                    const NpSampleStep *step,
                    gpointer            data)
{
  np_workspace_create_customer_async (data, step->first_name, step->last_name, step->email, NULL,
                                      NULL, on_customer, runner);
}

static void
op_create_checkout (NpSampleRunner        *runner,
                    const NpCheckoutDraft *draft,
                    gpointer               data)
{
  np_workspace_create_checkout_async (data, draft, NULL, on_checkout, runner);
}

static void
op_capture (NpSampleRunner *runner,
            const char     *checkout_id,
            gpointer        data)
{
  np_workspace_capture_checkout_async (data, checkout_id, NULL, on_checkout, runner);
}

static void
op_refund (NpSampleRunner *runner,
           const char     *checkout_id,
           gint64          amount,
           const char     *reason,
           const char     *details,
           gpointer        data)
{
  np_workspace_refund_checkout_async (data, checkout_id, amount, reason, details, NULL, on_checkout, runner);
}

static void
op_look_up_checkout (NpSampleRunner *runner,
                     const char     *checkout_id,
                     gpointer        data)
{
  np_workspace_lookup_checkout_async (data, checkout_id, np_sample_runner_get_cancellable (runner),
                                      on_checkout, runner);
}

static void
op_look_up_customer (NpSampleRunner *runner,
                     const char     *customer_id,
                     gpointer        data)
{
  np_workspace_lookup_customer_async (data, customer_id, np_sample_runner_get_cancellable (runner),
                                      on_customer, runner);
}

static const NpSampleOps workspace_ops = {
  op_create_customer,
  op_create_checkout,
  op_capture,
  op_refund,
  op_look_up_checkout,
  op_look_up_customer,
};

static gboolean
is_sandbox_account (NpWorkspace *self)
{
  const char *url = self->sandbox != NULL ? np_embedded_sandbox_get_base_url (self->sandbox) : NULL;

  return url != NULL && self->account != NULL && self->client != NULL &&
         g_strcmp0 (np_account_get_base_url (self->account), url) == 0;
}

static gboolean
ledger_is_empty (NpWorkspace *self)
{
  gint64 account_id = np_account_get_id (self->account);
  g_autoptr(GPtrArray) customers = NULL;
  guint checkouts = 1;

  if (!np_ledger_count_checkouts (self->ledger, account_id, NULL, &checkouts, NULL) || checkouts > 0)
    return FALSE;
  customers = np_ledger_list_customers (self->ledger, account_id, NULL, 0, 1, NULL);
  return customers != NULL && customers->len == 0;
}

gboolean
np_workspace_can_add_sample_data (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), FALSE);

  return self->sample_cancellable == NULL && is_sandbox_account (self) && ledger_is_empty (self);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  NpWorkspace *self = user_data;

  self->sample_fraction = total > 0 ? (double) done / total : 1.0;
  np_workspace_notify_sample_data (self);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpWorkspace *self = g_task_get_source_object (task);
  SampleRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint operations = 0;

  g_clear_object (&self->sample_cancellable);
  g_clear_pointer (&self->sample_message, g_free);
  if (!np_sample_run_finish (NP_CLIENT (source), result, &operations, &error))
    {
      self->sample_message = g_error_matches (error, NP_SAMPLE_ERROR, NP_SAMPLE_ERROR_NOT_EMPTY)
                             ? g_strdup (_("The sandbox already holds checkouts or customers: sample data is only added to an empty sandbox."))
                             : np_workspace_describe_error (error);
      np_workspace_notify_sample_data (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Sample data: %u operations in %.2f s", operations,
           (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC);
  self->sample_fraction = 1.0;
  np_workspace_notify_sample_data (self);
  g_task_return_int (task, operations);
}

void
np_workspace_add_sample_data_async (NpWorkspace         *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SampleRun *run;

  g_return_if_fail (NP_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_add_sample_data_async);

  if (self->sample_cancellable != NULL)
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_BUSY, "%s",
                               _("Sample data is already being added."));
      return;
    }
  if (!is_sandbox_account (self))
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_SANDBOX, "%s",
                               _("Sample data is added only to the sandbox on this computer."));
      return;
    }
  if (!ledger_is_empty (self))
    {
      g_task_return_new_error (task, NP_SAMPLE_ERROR, NP_SAMPLE_ERROR_NOT_EMPTY, "%s",
                               _("This account already has checkouts or customers: sample data is only added to an empty sandbox."));
      return;
    }

  run = g_new0 (SampleRun, 1);
  run->started = g_get_monotonic_time ();
  g_task_set_task_data (task, run, g_free);

  self->sample_cancellable = g_cancellable_new ();
  self->sample_fraction = 0.0;
  g_clear_pointer (&self->sample_message, g_free);
  np_workspace_notify_sample_data (self);
  np_sample_run_async (self->client, &workspace_ops, self, on_progress, self, self->sample_cancellable,
                       on_run_done, g_steal_pointer (&task));
}

gboolean
np_workspace_add_sample_data_finish (NpWorkspace   *self,
                                     GAsyncResult  *result,
                                     guint         *out_operations,
                                     GError       **error)
{
  gssize operations;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  operations = g_task_propagate_int (G_TASK (result), error);
  if (operations < 0)
    return FALSE;
  if (out_operations != NULL)
    *out_operations = operations;
  return TRUE;
}
