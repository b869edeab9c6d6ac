/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sample-plan.c — see np-sample-plan.h. */
#include "config.h"

#include "np-sample-plan.h"

G_DEFINE_QUARK (np-sample-error-quark, np_sample_error)

#define DAY  (G_GINT64_CONSTANT (86400))
#define HOUR (G_GINT64_CONSTANT (3600))
#define MINUTE (G_GINT64_CONSTANT (60))

/* The plan ------------------------------------------------------------------ */

static const struct {
  const char *first_name, *last_name, *email;
  gboolean    saves_card;
} customers[] = {
  { "Astrid", "Lindqvist", "astrid.lindqvist@example.se", TRUE },
  { "Johan", "Berg", "johan.berg@example.se", TRUE },
  { "Claire", "Dubois", "claire.dubois@example.fr", TRUE },
  { "Lukas", "Meyer", "lukas.meyer@example.de", FALSE },
  { "Sofia", "Nilsson", "sofia.nilsson@example.se", FALSE },
  { "Yuki", "Tanaka", "yuki.tanaka@example.jp", TRUE },
  { "Omar", "Al-Sabah", "omar.alsabah@example.com.kw", FALSE },
  { "Emma", "Johansson", "emma.johansson@example.se", FALSE },
};

static const char * const messages[] = {
  "Coffee beans, 1 kg", "Espresso machine service", "Gift card", "Barista course",
  "Ceramic mugs, set of 4", "Monthly tasting box", "Burr grinder", "Tea sampler",
};

typedef enum {
  FATE_PAID, FATE_PARTIAL, FATE_REFUNDED, FATE_FAILED, FATE_CANCELLED,
  FATE_CAPTURED, FATE_RELEASED, FATE_RESERVED, FATE_UNPAID, FATE_LOST_REFUND,
} Fate;

/* Five rounds of twelve: every status many times over. */
static const Fate pattern[] = {
  FATE_PAID, FATE_PAID, FATE_PARTIAL, FATE_PAID, FATE_FAILED, FATE_PAID,
  FATE_REFUNDED, FATE_PAID, FATE_CAPTURED, FATE_CANCELLED, FATE_PAID, FATE_RELEASED,
};

#define N_PATTERN_CHECKOUTS 60

static void
step_free (NpSampleStep *step)
{
  g_free (step->order_id);
  g_free (step);
}

static NpSampleStep *
add_step (NpSamplePlan *plan,
          NpSampleKind  kind,
          gint64        at,
          guint         object)
{
  NpSampleStep *step = g_new0 (NpSampleStep, 1);

  step->kind = kind;
  step->at = at;
  step->object = object;
  step->customer = -1;
  g_ptr_array_add (plan->steps, step);
  return step;
}

static gint64
pick_amount (GRand      *rand,
             const char *currency)
{
  if (g_str_equal (currency, "JPY"))
    return g_rand_int_range (rand, 12, 480) * 100;
  if (g_str_equal (currency, "KWD"))
    return g_rand_int_range (rand, 5, 120) * 1000 + 500;
  if (g_str_equal (currency, "EUR"))
    return g_rand_int_range (rand, 15, 400) * 100 + (g_rand_boolean (rand) ? 50 : 0);
  return g_rand_int_range (rand, 99, 2500) * 100;
}

static const char *
pick_currency (GRand *rand,
               guint  index)
{
  double r;

  if (index % 15 == 7)
    return "KWD";
  r = g_rand_double (rand);
  return r < 0.55 ? "SEK" : r < 0.8 ? "EUR" : "JPY";
}

static void
add_refund (NpSamplePlan *plan,
            gint64        at,
            guint         object,
            gint64        amount,
            const char   *reason,
            const char   *details)
{
  NpSampleStep *step = add_step (plan, NP_SAMPLE_REFUND, at, object);

  step->amount = amount;
  step->reason = reason;
  step->details = details;
}

static NpSampleStep *
add_checkout (NpSamplePlan *plan,
              GRand        *rand,
              gint64        at,
              Fate          fate,
              gboolean     *card_saved)
{
  static const struct { const char *reason, *details; } full_refunds[] = {
    { "duplicate", "Charged twice at the counter" },
    { "requested_by_customer", "Order cancelled before it was shipped" },
    { "fraudulent", "The card holder reported the card stolen" },
  };
  guint index = plan->n_checkouts++;
  NpSampleStep *create = add_step (plan, NP_SAMPLE_CREATE, at, index);
  gint64 paid_at = at + g_rand_int_range (rand, 2, 25) * MINUTE;
  gboolean by_page = TRUE;
  NpSampleStep *pay;

  create->currency = pick_currency (rand, index);
  create->amount = pick_amount (rand, create->currency);
  create->message = messages[index % G_N_ELEMENTS (messages)];
  create->order_id = g_strdup_printf ("ORD-%u", 1001 + index);
  create->channel = index % 2 == 0 ? "web" : "counter";
  create->capture = fate != FATE_CAPTURED && fate != FATE_RELEASED && fate != FATE_RESERVED;
  if (index % 3 == 0)
    {
      create->customer = (index / 3) % G_N_ELEMENTS (customers);
      /* A card saved before pays at once, as a card on file does. */
      if (card_saved[create->customer] && create->capture &&
          (fate == FATE_PAID || fate == FATE_PARTIAL || fate == FATE_REFUNDED))
        {
          create->charge_card = TRUE;
          by_page = FALSE;
          paid_at = at;
        }
    }

  if (fate == FATE_UNPAID)
    return create;

  if (by_page)
    {
      pay = add_step (plan, NP_SAMPLE_PAY, paid_at, index);
      pay->outcome = fate == FATE_FAILED ? "decline" : fate == FATE_CANCELLED ? "cancel" : "success";
      pay->customer = create->customer;
      pay->save_card = create->customer >= 0 && g_str_equal (pay->outcome, "success") &&
                       customers[create->customer].saves_card && !card_saved[create->customer];
      if (pay->save_card)
        card_saved[create->customer] = TRUE;
    }

  switch (fate)
    {
    case FATE_PARTIAL:
      add_refund (plan, paid_at + g_rand_int_range (rand, 20, 60) * HOUR, index,
                  MAX (create->amount / 4, 1), "requested_by_customer", "One item of the order was returned");
      break;
    case FATE_REFUNDED:
      {
        guint which = (index / G_N_ELEMENTS (pattern)) % G_N_ELEMENTS (full_refunds);

        add_refund (plan, paid_at + g_rand_int_range (rand, 4, 40) * HOUR, index, -1,
                    full_refunds[which].reason, full_refunds[which].details);
      }
      break;
    case FATE_CAPTURED:
      add_step (plan, NP_SAMPLE_CAPTURE, paid_at + g_rand_int_range (rand, 2, 20) * HOUR, index);
      break;
    case FATE_RELEASED:
      add_refund (plan, paid_at + g_rand_int_range (rand, 1, 8) * HOUR, index, -1,
                  "requested_by_customer", "Out of stock: the reservation was released");
      break;
    case FATE_LOST_REFUND:
      {
        NpSampleStep *lost = add_step (plan, NP_SAMPLE_LOST_REFUND, paid_at + 3 * HOUR, index);

        lost->amount = -1;
        lost->reason = "requested_by_customer";
        lost->details = "The connection dropped: did this refund go through?";
      }
      break;
    case FATE_PAID:
    case FATE_FAILED:
    case FATE_CANCELLED:
    case FATE_RESERVED:
    case FATE_UNPAID:
    default:
      break;
    }
  return create;
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const NpSampleStep *x = *(NpSampleStep * const *) a;
  const NpSampleStep *y = *(NpSampleStep * const *) b;

  return x->at < y->at ? -1 : x->at > y->at;
}

NpSamplePlan *
np_sample_plan_new (gint64 now)
{
  NpSamplePlan *plan = g_new0 (NpSamplePlan, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  gboolean card_saved[G_N_ELEMENTS (customers)] = { 0 };
  /* Within the Overview's "Last 30 days" (today and the 29 days before). */
  gint64 start = now - 29 * DAY;

  plan->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  for (guint i = 0; i < G_N_ELEMENTS (customers); i++)
    {
      NpSampleStep *step = add_step (plan, NP_SAMPLE_CUSTOMER, start + i * 20 * MINUTE, i);

      step->first_name = customers[i].first_name;
      step->last_name = customers[i].last_name;
      step->email = customers[i].email;
      plan->n_customers++;
    }

  for (guint i = 0; i < N_PATTERN_CHECKOUTS; i++)
    {
      gint64 at = start + 4 * HOUR + i * (27 * DAY / N_PATTERN_CHECKOUTS) + g_rand_int_range (rand, 0, 240) * MINUTE;
      Fate fate = pattern[i % G_N_ELEMENTS (pattern)];

      /* What "Needs attention" has to show: a reservation waiting for its
       * capture, a checkout unpaid for more than a day, a refund whose outcome
       * is unknown. */
      if (i == N_PATTERN_CHECKOUTS - 3)
        fate = FATE_RESERVED;
      else if (i == N_PATTERN_CHECKOUTS - 2)
        fate = FATE_UNPAID;
      else if (i == 40)
        fate = FATE_LOST_REFUND;
      add_checkout (plan, rand, at, fate, card_saved);
    }
  /* And one made a moment ago, not paid yet, which needs nobody's attention. */
  add_checkout (plan, rand, now - 2 * HOUR, FATE_UNPAID, card_saved);

  /* Refunds and captures come hours or days after their checkout: in time order,
   * so the clock only moves forward. g_ptr_array_sort is a stable merge sort. */
  g_ptr_array_sort (plan->steps, compare_steps);
  return plan;
}

void
np_sample_plan_free (NpSamplePlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->steps);
  g_free (plan);
}

guint
np_sample_plan_count_operations (const NpSamplePlan *plan)
{
  guint count = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    count += ((NpSampleStep *) g_ptr_array_index (plan->steps, i))->kind != NP_SAMPLE_PAY;
  return count;
}

/* The runner ---------------------------------------------------------------- */

typedef enum {
  PHASE_CLOCK,     /* the clock is set to the step's time */
  PHASE_CALL,      /* the step's call (or page) */
  PHASE_LOOK_UP,   /* after a page: the checkout's new state */
  PHASE_CARDS,     /* after a saved card: the customer's cards */
  PHASE_DONE,
} Phase;

struct _NpSampleRunner
{
  GTask                *task;
  NpClient             *client;
  const NpSampleOps    *ops;
  gpointer              ops_data;
  NpSampleProgressFunc  progress;
  gpointer              progress_data;
  NpSamplePlan         *plan;
  guint                 position;
  Phase                 phase;
  guint                 operations;
  GPtrArray            *checkout_ids;
  GPtrArray            *customer_ids;
  GPtrArray            *card_ids;
};

static void
runner_free (NpSampleRunner *runner)
{
  g_clear_object (&runner->client);
  g_clear_pointer (&runner->plan, np_sample_plan_free);
  g_clear_pointer (&runner->checkout_ids, g_ptr_array_unref);
  g_clear_pointer (&runner->customer_ids, g_ptr_array_unref);
  g_clear_pointer (&runner->card_ids, g_ptr_array_unref);
  g_free (runner);
}

static GPtrArray *
new_slots (guint n)
{
  GPtrArray *slots = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_set_size (slots, n);
  return slots;
}

static void
set_slot (GPtrArray  *slots,
          guint       index,
          const char *value)
{
  g_free (g_ptr_array_index (slots, index));
  g_ptr_array_index (slots, index) = g_strdup (value);
}

GCancellable *
np_sample_runner_get_cancellable (NpSampleRunner *runner)
{
  return g_task_get_cancellable (runner->task);
}

static void run_phase (NpSampleRunner *runner);

static void
on_sandbox_answer (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NpSampleRunner *runner = user_data;
  GError *error = NULL;
  g_autofree char *body = np_client_sandbox_request_finish (NP_CLIENT (source), result, &error);

  np_sample_runner_return (runner, NULL, error);
}

static void
sandbox_request (NpSampleRunner *runner,
                 const char     *method,
                 const char     *path,
                 const char     *content_type,
                 const char     *body)
{
  np_client_sandbox_request_async (runner->client, method, path, content_type, body,
                                   g_task_get_cancellable (runner->task), on_sandbox_answer, runner);
}

static void
set_clock (NpSampleRunner *runner,
           gint64          at)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (at);
  g_autofree char *text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = g_strdup_printf ("{\"now\": \"%s\"}", text);

  sandbox_request (runner, "POST", "/sandbox/clock", "application/json", body);
}

static void
step_call (NpSampleRunner     *runner,
           const NpSampleStep *step)
{
  const char *checkout_id = step->kind != NP_SAMPLE_CUSTOMER && step->kind != NP_SAMPLE_CREATE
                            ? g_ptr_array_index (runner->checkout_ids, step->object) : NULL;

  switch (step->kind)
    {
    case NP_SAMPLE_CUSTOMER:
      runner->ops->create_customer (runner, step, runner->ops_data);
      break;
    case NP_SAMPLE_CREATE:
      {
        g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();

        draft->amount = step->amount;
        draft->currency = g_strdup (step->currency);
        draft->message = g_strdup (step->message);
        draft->identifier = g_strdup (step->order_id);
        draft->capture = step->capture;
        if (step->customer >= 0)
          draft->customer_id = g_strdup (g_ptr_array_index (runner->customer_ids, step->customer));
        if (step->charge_card)
          draft->card_id = g_strdup (g_ptr_array_index (runner->card_ids, step->customer));
        draft->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert (draft->metadata, g_strdup ("order_id"), g_strdup (step->order_id));
        g_hash_table_insert (draft->metadata, g_strdup ("channel"), g_strdup (step->channel));
        runner->ops->create_checkout (runner, draft, runner->ops_data);
      }
      break;
    case NP_SAMPLE_PAY:
      {
        g_autofree char *path = g_strdup_printf ("/pay/%s", checkout_id);
        g_autofree char *form = g_strdup_printf ("outcome=%s%s", step->outcome,
                                                 step->save_card ? "&save_card_shown=1&save_card=on"
                                                                 : "&save_card_shown=1");

        sandbox_request (runner, "POST", path, "application/x-www-form-urlencoded", form);
      }
      break;
    case NP_SAMPLE_CAPTURE:
      runner->ops->capture (runner, checkout_id, runner->ops_data);
      break;
    case NP_SAMPLE_REFUND:
      runner->ops->refund (runner, checkout_id, step->amount, step->reason, step->details, runner->ops_data);
      break;
    case NP_SAMPLE_LOST_REFUND:
      /* The sandbox closes the connection before it refunds: neither side changed
       * anything, and the caller cannot know that. */
      sandbox_request (runner, "POST", "/sandbox/faults", "application/json",
                       "{\"path\": \"/checkout/refund\", \"fault\": \"drop-before\", \"count\": 1}");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
next_step (NpSampleRunner *runner)
{
  runner->position++;
  runner->phase = PHASE_CLOCK;
  if (runner->progress != NULL)
    runner->progress (runner->position, runner->plan->steps->len, runner->progress_data);
}

static void
run_phase (NpSampleRunner *runner)
{
  NpSampleStep *step;

  if (runner->position >= runner->plan->steps->len)
    {
      if (runner->phase == PHASE_DONE)
        {
          g_task_return_boolean (runner->task, TRUE);
          g_object_unref (runner->task);
          return;
        }
      /* The clock back to the real time: every object is older. */
      runner->phase = PHASE_DONE;
      sandbox_request (runner, "POST", "/sandbox/clock", "application/json", "{\"reset\": true}");
      return;
    }

  step = g_ptr_array_index (runner->plan->steps, runner->position);
  switch (runner->phase)
    {
    case PHASE_CLOCK:
      set_clock (runner, step->at);
      break;
    case PHASE_CALL:
      step_call (runner, step);
      break;
    case PHASE_LOOK_UP:
      runner->ops->look_up_checkout (runner, g_ptr_array_index (runner->checkout_ids, step->object),
                                     runner->ops_data);
      break;
    case PHASE_CARDS:
      runner->ops->look_up_customer (runner, g_ptr_array_index (runner->customer_ids, step->customer),
                                     runner->ops_data);
      break;
    case PHASE_DONE:
    default:
      g_assert_not_reached ();
    }
}

static void
fail (NpSampleRunner *runner,
      GError         *error)
{
  g_task_return_error (runner->task, error);
  g_object_unref (runner->task);
}

void
np_sample_runner_return (NpSampleRunner *runner,
                         GObject        *object,
                         GError         *error)
{
  NpSampleStep *step = runner->position < runner->plan->steps->len
                       ? g_ptr_array_index (runner->plan->steps, runner->position) : NULL;

  if (step == NULL)
    {
      if (error != NULL)
        fail (runner, error);
      else
        run_phase (runner);
      return;
    }

  switch (runner->phase)
    {
    case PHASE_CLOCK:
      if (error != NULL && runner->position == 0 && np_client_error_get_http_status (error) == 409)
        {
          g_error_free (error);
          fail (runner, g_error_new_literal (NP_SAMPLE_ERROR, NP_SAMPLE_ERROR_NOT_EMPTY,
                                             "The sandbox already holds checkouts or customers: "
                                             "sample data is only added to an empty one."));
          return;
        }
      if (error != NULL)
        {
          fail (runner, error);
          return;
        }
      runner->phase = PHASE_CALL;
      break;

    case PHASE_CALL:
      if (step->kind == NP_SAMPLE_LOST_REFUND && step->amount != 0 && error == NULL)
        {
          /* The fault is set: now the refund it swallows. */
          step->amount = 0;
          runner->ops->refund (runner, g_ptr_array_index (runner->checkout_ids, step->object), -1,
                               step->reason, step->details, runner->ops_data);
          return;
        }
      if (step->kind == NP_SAMPLE_LOST_REFUND && error != NULL &&
          g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN))
        g_clear_error (&error);  /* what it is for */
      if (error != NULL)
        {
          fail (runner, error);
          return;
        }
      if (step->kind != NP_SAMPLE_PAY)
        runner->operations++;
      if (step->kind == NP_SAMPLE_CUSTOMER)
        set_slot (runner->customer_ids, step->object, np_customer_get_id (NP_CUSTOMER (object)));
      else if (step->kind == NP_SAMPLE_CREATE)
        set_slot (runner->checkout_ids, step->object, np_checkout_get_id (NP_CHECKOUT (object)));

      if (step->kind == NP_SAMPLE_PAY)
        runner->phase = PHASE_LOOK_UP;
      else
        next_step (runner);
      break;

    case PHASE_LOOK_UP:
      if (error != NULL)
        {
          fail (runner, error);
          return;
        }
      if (step->save_card)
        runner->phase = PHASE_CARDS;
      else
        next_step (runner);
      break;

    case PHASE_CARDS:
      if (error != NULL)
        {
          fail (runner, error);
          return;
        }
      {
        GPtrArray *cards = np_customer_get_saved_cards (NP_CUSTOMER (object));

        if (cards->len > 0)
          set_slot (runner->card_ids, step->customer, ((NpSavedCard *) g_ptr_array_index (cards, 0))->card_id);
      }
      next_step (runner);
      break;

    case PHASE_DONE:
    default:
      g_assert_not_reached ();
    }

  /* Every op answers from a main-loop callback, never from within the call that
   * started it, so this does not recurse. */
  run_phase (runner);
}

void
np_sample_run_async (NpClient             *client,
                     const NpSampleOps    *ops,
                     gpointer              ops_data,
                     NpSampleProgressFunc  progress,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GAsyncReadyCallback   callback,
                     gpointer              user_data)
{
  NpSampleRunner *runner = g_new0 (NpSampleRunner, 1);

  g_return_if_fail (NP_IS_CLIENT (client));

  runner->task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (runner->task, np_sample_run_async);
  g_task_set_task_data (runner->task, runner, (GDestroyNotify) runner_free);
  runner->client = g_object_ref (client);
  runner->ops = ops;
  runner->ops_data = ops_data;
  runner->progress = progress;
  runner->progress_data = progress_data;
  runner->plan = np_sample_plan_new (g_get_real_time () / G_USEC_PER_SEC);
  runner->checkout_ids = new_slots (runner->plan->n_checkouts);
  runner->customer_ids = new_slots (runner->plan->n_customers);
  runner->card_ids = new_slots (runner->plan->n_customers);
  run_phase (runner);
}

gboolean
np_sample_run_finish (NpClient      *client,
                      GAsyncResult  *result,
                      guint         *out_operations,
                      GError       **error)
{
  NpSampleRunner *runner;

  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);

  runner = g_task_get_task_data (G_TASK (result));
  if (out_operations != NULL)
    *out_operations = runner->operations;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Plain client calls: neuropay-sandbox --sample-data ---------------------------- */

static void
on_client_checkout (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError *error = NULL;
  g_autoptr(NpCheckout) checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);

  np_sample_runner_return (user_data, G_OBJECT (checkout), error);
}

static void
on_client_customer (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError *error = NULL;
  g_autoptr(NpCustomer) customer = np_client_customer_finish (NP_CLIENT (source), result, &error);

  np_sample_runner_return (user_data, G_OBJECT (customer), error);
}

static void
client_create_customer (NpSampleRunner     *runner,
                        const NpSampleStep *step,
                        gpointer            data)
{
  np_client_create_customer_async (runner->client, step->first_name, step->last_name, step->email, NULL,
                                   np_sample_runner_get_cancellable (runner), on_client_customer, runner);
}

static void
client_create_checkout (NpSampleRunner        *runner,
                        const NpCheckoutDraft *draft,
                        gpointer               data)
{
  np_client_create_checkout_async (runner->client, draft, np_sample_runner_get_cancellable (runner),
                                   on_client_checkout, runner);
}

static void
client_capture (NpSampleRunner *runner,
                const char     *checkout_id,
                gpointer        data)
{
  np_client_capture_checkout_async (runner->client, checkout_id, np_sample_runner_get_cancellable (runner),
                                    on_client_checkout, runner);
}

static void
client_refund (NpSampleRunner *runner,
               const char     *checkout_id,
               gint64          amount,
               const char     *reason,
               const char     *details,
               gpointer        data)
{
  np_client_refund_checkout_async (runner->client, checkout_id, amount, reason, details,
                                   np_sample_runner_get_cancellable (runner), on_client_checkout, runner);
}

static gboolean
nothing_to_look_up (gpointer user_data)
{
  np_sample_runner_return (user_data, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
client_look_up_checkout (NpSampleRunner *runner,
                         const char     *checkout_id,
                         gpointer        data)
{
  /* No ledger to keep up to date: on to the next step, from the loop. */
  g_idle_add (nothing_to_look_up, runner);
}

static void
client_look_up_customer (NpSampleRunner *runner,
                         const char     *customer_id,
                         gpointer        data)
{
  np_client_retrieve_customer_async (runner->client, customer_id, np_sample_runner_get_cancellable (runner),
                                     on_client_customer, runner);
}

static const NpSampleOps client_ops = {
  client_create_customer,
  client_create_checkout,
  client_capture,
  client_refund,
  client_look_up_checkout,
  client_look_up_customer,
};

const NpSampleOps *
np_sample_client_ops (void)
{
  return &client_ops;
}
