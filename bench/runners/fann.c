/*
 * FANN runner for the nn peer comparison.
 *
 * Usage: fann SPEC.json
 * Reads the flat form of the spec written beside SPEC.json (SPEC.txt, see
 * bench/spec/spec.go), runs each work and prints one JSON line per result.
 *
 * FANN 2.2 has no ReLU, softmax, cross-entropy, Adam or mini-batches, so
 * the network is the nearest FANN offers: bounded linear hidden units
 * (FANN_LINEAR_PIECE), sigmoid outputs trained on MSE against one-hot
 * targets, and mini-batch SGD done by handing fann_train_epoch (batch
 * algorithm: one weight update per call, mean gradient) a subset of the
 * shuffled samples per batch.
 */
#include <floatfann.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct work {
	char name[32], optimizer[16];
	int threads, inputs, hidden, outputs, batch, epochs, rows, warmup, test_rows;
	unsigned long long seed;
	double lr, budget;
	char x[1024], y[1024], test_x[1024], test_y[1024];
};

/* data is a sample set in FANN's layout: one row pointer per sample. */
struct data {
	int rows;
	fann_type *xs, *ys;
	fann_type **in, **out;
	int *labels;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void error_line(const char *work, const char *msg)
{
	printf("{\"peer\":\"fann\",\"work\":\"%s\",\"error\":\"%s\"}\n", work, msg);
	fflush(stdout);
}

/* rng is a 64-bit xorshift generator for shuffling. */
static unsigned long long rng_state;

static unsigned long long rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int read_file(const char *path, void *dst, size_t bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(dst, 1, bytes, f);
	fclose(f);
	return n == bytes ? 0 : -1;
}

/* load reads rows samples; labels become one-hot targets when y is given. */
static int load(struct data *d, const char *x, const char *y, int rows, int inputs, int outputs)
{
	d->rows = rows;
	d->xs = malloc(sizeof(fann_type) * rows * inputs);
	d->ys = calloc((size_t)rows * outputs, sizeof(fann_type));
	d->in = malloc(sizeof(fann_type *) * rows);
	d->out = malloc(sizeof(fann_type *) * rows);
	d->labels = calloc(rows, sizeof(int));
	if (!d->xs || !d->ys || !d->in || !d->out || !d->labels)
		return -1;
	if (read_file(x, d->xs, sizeof(float) * rows * inputs) != 0)
		return -1;
	if (strcmp(y, "-") != 0 && read_file(y, d->labels, sizeof(int) * rows) != 0)
		return -1;
	for (int i = 0; i < rows; i++) {
		if (d->labels[i] < 0 || d->labels[i] >= outputs)
			return -1;
		d->ys[(size_t)i * outputs + d->labels[i]] = 1;
		d->in[i] = d->xs + (size_t)i * inputs;
		d->out[i] = d->ys + (size_t)i * outputs;
	}
	return 0;
}

static void release(struct data *d)
{
	free(d->xs);
	free(d->ys);
	free(d->in);
	free(d->out);
	free(d->labels);
}

static struct fann *network(const struct work *w)
{
	struct fann *ann = fann_create_standard(3, w->inputs, w->hidden, w->outputs);
	if (!ann)
		return NULL;
	fann_set_activation_function_hidden(ann, FANN_LINEAR_PIECE);
	fann_set_activation_function_output(ann, FANN_SIGMOID);
	fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
	fann_set_training_algorithm(ann, FANN_TRAIN_BATCH);
	fann_set_learning_rate(ann, (float)w->lr);
	srand((unsigned)w->seed);
	fann_randomize_weights(ann, -0.1f, 0.1f);
	return ann;
}

/*
 * train runs mini-batch epochs over d until epochs are done, max_batches
 * batches are done (if > 0) or the deadline passes (if > 0). It returns the
 * samples done and stores the mean batch MSE of the last epoch in loss.
 */
static long train(struct fann *ann, const struct work *w, struct data *d, int epochs,
		  int max_batches, double deadline, double *loss)
{
	struct fann_train_data sub;
	memset(&sub, 0, sizeof sub);
	sub.num_input = w->inputs;
	sub.num_output = w->outputs;
	long samples = 0;
	int batches = 0;
	for (int e = 0; e < epochs; e++) {
		for (int i = d->rows - 1; i > 0; i--) {
			int j = (int)(rng_next() % (unsigned long long)(i + 1));
			fann_type *t = d->in[i];
			d->in[i] = d->in[j];
			d->in[j] = t;
			t = d->out[i];
			d->out[i] = d->out[j];
			d->out[j] = t;
		}
		double sum = 0;
		int n = 0;
		for (int b = 0; b < d->rows; b += w->batch) {
			sub.num_data = b + w->batch <= d->rows ? w->batch : d->rows - b;
			sub.input = d->in + b;
			sub.output = d->out + b;
			sum += fann_train_epoch(ann, &sub);
			n++;
			samples += sub.num_data;
			batches++;
			if ((max_batches > 0 && batches >= max_batches) || (deadline > 0 && now() > deadline)) {
				*loss = sum / n;
				return samples;
			}
		}
		*loss = sum / n;
	}
	return samples;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run_training(const struct work *w)
{
	struct data d;
	if (load(&d, w->x, w->y, w->rows, w->inputs, w->outputs) != 0) {
		error_line(w->name, "cannot read data");
		return;
	}
	struct fann *ann = network(w);
	double loss = 0;
	train(ann, w, &d, 1, w->warmup, 0, &loss);
	double c0 = cpu_now(), t0 = now();
	long samples = train(ann, w, &d, w->epochs, 0, t0 + w->budget, &loss);
	double secs = now() - t0, cpu = cpu_now() - c0;
	long planned = (long)w->rows * w->epochs;
	int flowers = strcmp(w->name, "flowers") == 0;
	printf("{\"peer\":\"fann\",\"work\":\"%s\",\"value\":%.9g,\"unit\":\"%s\",\"samples\":%ld,"
	       "\"seconds\":%.9g,\"cpu\":%.9g,\"partial\":%s,\"loss\":%.6g}\n",
	       w->name, flowers ? secs * planned / samples : samples / secs, flowers ? "s" : "samples/s",
	       samples, secs, cpu, samples < planned ? "true" : "false", loss);
	fflush(stdout);
	fann_destroy(ann);
	release(&d);
}

static void run_predict(const struct work *w)
{
	struct data d;
	if (load(&d, w->x, "-", w->rows, w->inputs, w->outputs) != 0) {
		error_line(w->name, "cannot read data");
		return;
	}
	struct fann *ann = network(w);
	for (int i = 0; i < w->warmup; i++)
		fann_run(ann, d.in[i % d.rows]);

	int cap = 1 << 22, n = 0;
	double *times = malloc(sizeof(double) * cap);
	double deadline = now() + w->budget;
	for (int i = 0; (now() < deadline || n < 100) && n < cap; i++) {
		double t0 = now();
		fann_run(ann, d.in[i % d.rows]);
		times[n++] = now() - t0;
	}
	printf("{\"peer\":\"fann\",\"work\":\"predict1\",\"value\":%.9g,\"unit\":\"µs\"}\n",
	       median(times, n) * 1e6);

	int batch = w->batch < d.rows ? w->batch : d.rows;
	long calls = 0;
	deadline = now() + w->budget;
	double c0 = cpu_now(), t0 = now();
	while (now() < deadline || calls < 10) {
		for (int i = 0; i < batch; i++)
			fann_run(ann, d.in[i]);
		calls++;
	}
	double wall = now() - t0, cpu = cpu_now() - c0;
	printf("{\"peer\":\"fann\",\"work\":\"predict256\",\"value\":%.9g,\"unit\":\"samples/s\","
	       "\"seconds\":%.9g,\"cpu\":%.9g,\"note\":\"fann_run per row\"}\n",
	       batch * calls / wall, wall, cpu);
	fflush(stdout);
	free(times);
	fann_destroy(ann);
	release(&d);
}

static void run_mnist(const struct work *w)
{
	struct data d, t;
	if (load(&d, w->x, w->y, w->rows, w->inputs, w->outputs) != 0 ||
	    load(&t, w->test_x, w->test_y, w->test_rows, w->inputs, w->outputs) != 0) {
		error_line(w->name, "cannot read data");
		return;
	}
	struct fann *ann = network(w);
	double loss = 0, t0 = now();
	train(ann, w, &d, w->epochs, 0, 0, &loss);
	double secs = now() - t0;
	int right = 0;
	for (int i = 0; i < t.rows; i++) {
		fann_type *o = fann_run(ann, t.in[i]);
		int best = 0;
		for (int k = 1; k < w->outputs; k++)
			if (o[k] > o[best])
				best = k;
		right += best == t.labels[i];
	}
	printf("{\"peer\":\"fann\",\"work\":\"mnist\",\"value\":%.9g,\"unit\":\"accuracy\","
	       "\"seconds\":%.9g,\"loss\":%.6g}\n",
	       (double)right / t.rows, secs, loss);
	fflush(stdout);
	fann_destroy(ann);
	release(&d);
	release(&t);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fann SPEC.json\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s", argv[1]);
	char *dot = strrchr(path, '.');
	if (!dot || strlen(dot) < 4) {
		error_line("*", "spec path has no extension");
		return 0;
	}
	strcpy(dot, ".txt");
	FILE *f = fopen(path, "r");
	if (!f) {
		error_line("*", "cannot open the flat spec");
		return 0;
	}
	struct work w;
	while (fscanf(f, "%31s %d %llu %d %d %d %d %d %15s %lf %d %d %lf %1023s %1023s %1023s %1023s %d",
		      w.name, &w.threads, &w.seed, &w.inputs, &w.hidden, &w.outputs, &w.batch, &w.epochs,
		      w.optimizer, &w.lr, &w.rows, &w.warmup, &w.budget, w.x, w.y, w.test_x, w.test_y,
		      &w.test_rows) == 18) {
		rng_state = w.seed * 0x9E3779B97F4A7C15ULL + 1;
		if (strcmp(w.optimizer, "adam") == 0)
			/* FANN has no Adam: SGD at FANN's default rate. */
			w.lr = 0.7;
		if (strcmp(w.name, "predict") == 0)
			run_predict(&w);
		else if (strcmp(w.name, "mnist") == 0)
			run_mnist(&w);
		else
			run_training(&w);
	}
	fclose(f);
	return 0;
}
