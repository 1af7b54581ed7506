# 两条命令：make run（建环境、建索引、启动网站）与 make test（运行全部测试）。
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run preview test index check clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)），请先安装"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

index: $(STAMP)
	$(PY) build_index.py

check: $(STAMP)
	$(PY) -m kb check

# `index` is incremental (a no-op when policies/ is unchanged), so run always serves a fresh index
run: index
	$(PY) -m web --host 127.0.0.1 --port 5000

# for policy writers: every save is checked and built within a second or two, problems shown on each page
preview: $(STAMP)
	$(PY) -m web --watch --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) index
