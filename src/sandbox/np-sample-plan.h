/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sample-plan.h — sample data for the sandbox: one plan, two ways to make it.
 *
 * The plan is a list of steps in time order over the last 30 days: customers, about
 * 60 checkouts in SEK, EUR, JPY and a few KWD in every status, payments on the
 * hosted page (some saving a card, later checkouts charged to it), captures,
 * refunds with reasons and details, one reservation left waiting for its capture,
 * one checkout left unpaid for more than a day, and one refund whose answer is
 * dropped (its outcome unknown to the caller). Before each step the sandbox's clock
 * is set to the step's time, so every object carries the time it "happened" at;
 * at the end the clock goes back to the real time.
 *
 * NpSampleRunner walks the plan. The steps that are API calls go through
 * NpSampleOps: neuropay-sandbox --sample-data gives it plain NpClient calls, the
 * console gives it its NpWorkspace operations (journalled, stored in the ledger,
 * exactly as a person's). The rest (the clock, the payment page, the dropped
 * answer) is the sandbox's own addresses, through np_client_sandbox_request_async ().
 *
 * The sandbox refuses to move its clock back past any object it holds, so a
 * sandbox that is not empty refuses the first step: sample data is added once, to
 * an empty sandbox, and a second run adds nothing (NP_SAMPLE_ERROR_NOT_EMPTY).
 */
#pragma once

#include <gio/gio.h>

#include "np-client.h"

G_BEGIN_DECLS

typedef enum {
  NP_SAMPLE_CUSTOMER,   /* create a customer */
  NP_SAMPLE_CREATE,     /* create a checkout (for a customer; charged to their card) */
  NP_SAMPLE_PAY,        /* the buyer on the payment page: success, decline or cancel */
  NP_SAMPLE_CAPTURE,
  NP_SAMPLE_REFUND,
  NP_SAMPLE_LOST_REFUND, /* a refund whose answer the sandbox drops */
} NpSampleKind;

typedef struct {
  NpSampleKind  kind;
  gint64        at;           /* Unix seconds */
  guint         object;       /* the checkout's or customer's index */
  /* NP_SAMPLE_CUSTOMER */
  const char   *first_name;
  const char   *last_name;
  const char   *email;
  /* NP_SAMPLE_CREATE */
  gint64        amount;       /* minor units; for a refund, -1: what remains */
  const char   *currency;
  const char   *message;
  char         *order_id;     /* metaData order_id and identifier */
  const char   *channel;      /* metaData channel */
  gboolean      capture;
  int           customer;     /* index, -1: none */
  gboolean      charge_card;  /* charged to the customer's saved card: paid at once */
  /* NP_SAMPLE_PAY */
  const char   *outcome;      /* "success", "decline", "cancel" */
  gboolean      save_card;
  /* NP_SAMPLE_REFUND */
  const char   *reason;
  const char   *details;
} NpSampleStep;

typedef struct {
  GPtrArray *steps;           /* of NpSampleStep, in time order */
  guint      n_checkouts;
  guint      n_customers;
} NpSamplePlan;

/* The plan for @now (Unix seconds): the same every time for the same @now. */
NpSamplePlan *np_sample_plan_new         (gint64             now);
void          np_sample_plan_free        (NpSamplePlan      *plan);
/* The calls that change something (create, capture, refund, create-customer): one
 * journal row each in the console. */
guint         np_sample_plan_count_operations (const NpSamplePlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpSamplePlan, np_sample_plan_free)

#define NP_SAMPLE_ERROR (np_sample_error_quark ())
typedef enum {
  NP_SAMPLE_ERROR_NOT_EMPTY,  /* the sandbox (or the ledger) already holds objects */
} NpSampleError;
GQuark np_sample_error_quark (void);

typedef struct _NpSampleRunner NpSampleRunner;

/* Each op starts its call and ends it with np_sample_runner_return () (any thread
 * default context: the runner's). Objects: NpCustomer for a customer's create and
 * look-up, NpCheckout for the others. */
typedef struct {
  void (*create_customer)  (NpSampleRunner *runner, const NpSampleStep *step, gpointer data);
  void (*create_checkout)  (NpSampleRunner *runner, const NpCheckoutDraft *draft, gpointer data);
  void (*capture)          (NpSampleRunner *runner, const char *checkout_id, gpointer data);
  void (*refund)           (NpSampleRunner *runner, const char *checkout_id, gint64 amount,
                            const char *reason, const char *details, gpointer data);
  /* After the payment page: learn the checkout's new state (a look-up). */
  void (*look_up_checkout) (NpSampleRunner *runner, const char *checkout_id, gpointer data);
  /* After a card was saved: learn the customer's cards (a look-up). */
  void (*look_up_customer) (NpSampleRunner *runner, const char *customer_id, gpointer data);
} NpSampleOps;

void          np_sample_runner_return    (NpSampleRunner    *runner,
                                          GObject           *object,
                                          GError            *error);
GCancellable *np_sample_runner_get_cancellable (NpSampleRunner *runner);

/* Walks the plan for the current time with @client (the sandbox's test key) for
 * the clock and the pages, and @ops for the calls. @progress gets (done, total)
 * after each step. Finishes with how many operations were made. */
typedef void (*NpSampleProgressFunc) (guint done, guint total, gpointer user_data);

void          np_sample_run_async        (NpClient            *client,
                                          const NpSampleOps   *ops,
                                          gpointer             ops_data,
                                          NpSampleProgressFunc progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      np_sample_run_finish       (NpClient            *client,
                                          GAsyncResult        *result,
                                          guint               *out_operations,
                                          GError             **error);

/* The ops that call @client directly, for neuropay-sandbox --sample-data. */
const NpSampleOps *np_sample_client_ops  (void);

G_END_DECLS
