"""PyTorch and scikit-learn runners for the nn peer comparison.

Usage: python3 peers.py torch|sklearn SPEC.json

Reads the work from SPEC.json (see bench/spec/spec.go for the contract),
runs it and prints one JSON line per result on standard output.
"""

import json
import sys
import time
import warnings

import numpy as np


def load(work):
    rows, inputs = work["rows"], work["inputs"]
    x = np.fromfile(work["x"], dtype="<f4", count=rows * inputs).reshape(rows, inputs)
    y = np.fromfile(work["y"], dtype="<i4", count=rows).astype(np.int64) if work.get("y") else None
    return x, y


def load_test(work):
    rows, inputs = work["test_rows"], work["inputs"]
    x = np.fromfile(work["test_x"], dtype="<f4", count=rows * inputs).reshape(rows, inputs)
    y = np.fromfile(work["test_y"], dtype="<i4", count=rows).astype(np.int64)
    return x, y


def median_us(times_ns):
    return float(np.median(np.array(times_ns, dtype=np.float64))) / 1e3


def batch_rate(peer, rows, budget, f, version):
    """Calls f for budget seconds (at least 10 times); rows per second."""
    calls, deadline = 0, time.perf_counter() + budget
    c0, t0 = time.process_time(), time.perf_counter()
    while time.perf_counter() < deadline or calls < 10:
        f()
        calls += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"peer": peer, "work": "predict256", "value": rows * calls / wall, "unit": "samples/s",
            "seconds": wall, "cpu": cpu, "version": version}


def training_result(peer, work, samples, seconds, cpu, loss, version):
    planned = work["rows"] * work["epochs"]
    partial = samples < planned
    if work["name"] == "flowers":
        value, unit = seconds * planned / samples, "s"
    else:
        value, unit = samples / seconds, "samples/s"
    return {"peer": peer, "work": work["name"], "value": value, "unit": unit,
            "samples": samples, "seconds": seconds, "cpu": cpu, "partial": partial,
            "loss": loss, "version": version}


class Torch:
    name = "pytorch"

    def __init__(self, spec):
        import torch
        self.torch = torch
        torch.set_num_threads(spec["threads"])
        torch.set_num_interop_threads(spec["threads"])
        torch.manual_seed(spec["seed"])
        self.version = "torch " + torch.__version__

    def model(self, work):
        nn = self.torch.nn
        return nn.Sequential(nn.Linear(work["inputs"], work["hidden"]), nn.ReLU(),
                             nn.Linear(work["hidden"], work["outputs"]))

    def optimizer(self, work, model):
        if work["optimizer"] == "adam":
            return self.torch.optim.Adam(model.parameters(), lr=work["lr"])
        return self.torch.optim.SGD(model.parameters(), lr=work["lr"])

    def train(self, work, model, x, y, epochs, batches=None, deadline=None):
        """Trains in shuffled mini-batches; returns (samples, last epoch mean loss)."""
        torch = self.torch
        opt = self.optimizer(work, model) if not hasattr(model, "opt") else model.opt
        model.opt = opt
        lossf = torch.nn.CrossEntropyLoss()
        bs, rows = work["batch"], x.shape[0]
        samples, done, loss_sum, loss_n = 0, 0, 0.0, 0
        for _ in range(epochs):
            perm = torch.randperm(rows)
            loss_sum, loss_n = 0.0, 0
            for b in range(0, rows, bs):
                idx = perm[b:b + bs]
                opt.zero_grad(set_to_none=True)
                loss = lossf(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                loss_sum += loss.item()
                loss_n += 1
                samples += idx.shape[0]
                done += 1
                if batches is not None and done >= batches:
                    return samples, loss_sum / loss_n
                if deadline is not None and time.perf_counter() > deadline:
                    return samples, loss_sum / loss_n
        return samples, loss_sum / max(loss_n, 1)

    def run_training(self, work):
        xn, yn = load(work)
        x, y = self.torch.from_numpy(xn), self.torch.from_numpy(yn)
        model = self.model(work)
        self.train(work, model, x, y, 1, batches=work["warmup"])
        c0, t0 = time.process_time(), time.perf_counter()
        samples, loss = self.train(work, model, x, y, work["epochs"], deadline=t0 + work["budget"])
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        return [training_result(self.name, work, samples, seconds, cpu, loss, self.version)]

    def run_predict(self, work):
        torch = self.torch
        xn, _ = load(work)
        x = torch.from_numpy(xn)
        model = self.model(work).eval()
        singles = [x[i:i + 1].clone() for i in range(x.shape[0])]
        batch = x[:work["batch"]].clone()
        out = []
        with torch.inference_mode():
            for i in range(work["warmup"]):
                torch.softmax(model(singles[i % len(singles)]), dim=1)
            times, deadline = [], time.perf_counter() + work["budget"]
            i = 0
            while time.perf_counter() < deadline or len(times) < 100:
                t0 = time.perf_counter_ns()
                torch.softmax(model(singles[i % len(singles)]), dim=1)
                times.append(time.perf_counter_ns() - t0)
                i += 1
            out.append({"peer": self.name, "work": "predict1", "value": median_us(times),
                        "unit": "µs", "version": self.version})
            for _ in range(3):
                torch.softmax(model(batch), dim=1)
            out.append(batch_rate(self.name, batch.shape[0], work["budget"],
                                  lambda: torch.softmax(model(batch), dim=1), self.version))
        return out

    def run_mnist(self, work):
        torch = self.torch
        xn, yn = load(work)
        tx, ty = load_test(work)
        model = self.model(work)
        t0 = time.perf_counter()
        _, loss = self.train(work, model, torch.from_numpy(xn), torch.from_numpy(yn), work["epochs"])
        seconds = time.perf_counter() - t0
        with torch.inference_mode():
            pred = model(torch.from_numpy(tx)).argmax(dim=1).numpy()
        acc = float((pred == ty).mean())
        return [{"peer": self.name, "work": "mnist", "value": acc, "unit": "accuracy",
                 "seconds": seconds, "loss": loss, "version": self.version}]


class Sklearn:
    name = "sklearn"

    def __init__(self, spec):
        import sklearn
        self.seed = spec["seed"]
        self.version = "scikit-learn %s (numpy %s)" % (sklearn.__version__, np.__version__)
        warnings.simplefilter("ignore")

    def model(self, work):
        from sklearn.neural_network import MLPClassifier
        return MLPClassifier(hidden_layer_sizes=(work["hidden"],), activation="relu",
                             solver=work["optimizer"], alpha=0.0, batch_size=work["batch"],
                             learning_rate_init=work["lr"], momentum=0.0,
                             nesterovs_momentum=False, shuffle=True, random_state=self.seed)

    def train(self, clf, work, x, y, epochs, deadline=None):
        classes = np.arange(work["outputs"])
        samples = 0
        for _ in range(epochs):
            clf.partial_fit(x, y, classes=classes)
            samples += x.shape[0]
            if deadline is not None and time.perf_counter() > deadline:
                break
        return samples

    def note(self, clf):
        return "computes in %s" % clf.coefs_[0].dtype

    def run_training(self, work):
        x, y = load(work)
        clf = self.model(work)
        n = min(x.shape[0], work["warmup"] * work["batch"])
        self.train(self.model(work), work, x[:n], y[:n], 1)
        c0, t0 = time.process_time(), time.perf_counter()
        samples = self.train(clf, work, x, y, work["epochs"], deadline=t0 + work["budget"])
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        r = training_result(self.name, work, samples, seconds, cpu, float(clf.loss_), self.version)
        r["note"] = self.note(clf)
        return [r]

    def run_predict(self, work):
        x, y = load(work)
        clf = self.model(work)
        labels = np.arange(x.shape[0]) % work["outputs"]
        self.train(clf, work, x, labels, 1)
        for i in range(work["warmup"]):
            clf.predict_proba(x[i % x.shape[0]:i % x.shape[0] + 1])
        times, deadline, i = [], time.perf_counter() + work["budget"], 0
        while time.perf_counter() < deadline or len(times) < 100:
            s = x[i % x.shape[0]:i % x.shape[0] + 1]
            t0 = time.perf_counter_ns()
            clf.predict_proba(s)
            times.append(time.perf_counter_ns() - t0)
            i += 1
        out = [{"peer": self.name, "work": "predict1", "value": median_us(times), "unit": "µs",
                "version": self.version, "note": self.note(clf)}]
        batch = x[:work["batch"]]
        out.append(batch_rate(self.name, batch.shape[0], work["budget"],
                              lambda: clf.predict_proba(batch), self.version))
        return out

    def run_mnist(self, work):
        x, y = load(work)
        tx, ty = load_test(work)
        clf = self.model(work)
        t0 = time.perf_counter()
        self.train(clf, work, x, y, work["epochs"])
        seconds = time.perf_counter() - t0
        acc = float((clf.predict(tx) == ty).mean())
        return [{"peer": self.name, "work": "mnist", "value": acc, "unit": "accuracy",
                 "seconds": seconds, "loss": float(clf.loss_), "version": self.version}]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("torch", "sklearn"):
        sys.exit("usage: peers.py torch|sklearn SPEC.json")
    with open(sys.argv[2]) as f:
        spec = json.load(f)
    name = "pytorch" if sys.argv[1] == "torch" else "sklearn"
    try:
        runner = Torch(spec) if sys.argv[1] == "torch" else Sklearn(spec)
    except Exception as e:  # a missing package is reported, not raised
        print(json.dumps({"peer": name, "work": "*", "error": "%s: %s" % (type(e).__name__, e)}))
        return
    for work in spec["works"]:
        kind = work["name"]
        try:
            if kind == "predict":
                results = runner.run_predict(work)
            elif kind == "mnist":
                results = runner.run_mnist(work)
            else:
                results = runner.run_training(work)
        except Exception as e:
            results = [{"peer": name, "work": kind, "error": "%s: %s" % (type(e).__name__, e)}]
        for r in results:
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
