# linkspider: the two commands a newcomer needs are `make crawl` and `make test`.
# Both create .venv and install on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
NICHE  ?= fitness
# Discovery crawls run by `make crawl`, in order (search spiders first, then the seed list).
SPIDERS ?= roundups guestposts seeds
STAMP  := $(VENV)/.installed

.PHONY: install crawl demo test export report clean

# (Re)install when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make crawl NICHE=fitness [SPIDERS="seeds"]: discover the niche's prospects into output/linkspider.db
crawl: $(STAMP)
	@for spider in $(SPIDERS); do \
		echo "== scrapy crawl $$spider -a niche=$(NICHE)"; \
		$(BIN)/scrapy crawl $$spider -a niche=$(NICHE) || exit $$?; \
	done
	$(BIN)/linkspider report --niche $(NICHE)

## make demo: the same crawl against the bundled offline demo web, then the top prospects
demo: $(STAMP)
	$(BIN)/python -m fakeweb.demo

## make test: the whole suite, offline
test: $(STAMP)
	$(BIN)/python -m pytest -q

export: $(STAMP)
	$(BIN)/linkspider export --niche $(NICHE) --format csv -o output/$(NICHE).csv

report: $(STAMP)
	$(BIN)/linkspider report

clean:
	rm -rf $(VENV) output/*.db output/*.db-* output/*.csv
