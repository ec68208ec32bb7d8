# Quick start: `make run` refreshes the bundled sample site; `make test` runs the tests.
SWIFT ?= swift
TIDINGS = .build/release/tidings

.PHONY: run test deps build clean

run: deps
	$(SWIFT) build -c release --product tidings
	$(TIDINGS) refresh --feeds feeds --out public --state state
	@echo "Feeds written to $(CURDIR)/public (index.html, all.atom, one .atom per source)."

test: deps
	$(SWIFT) test --disable-xctest

build: deps
	$(SWIFT) build -c release --product tidings

deps:
	@scripts/install-deps

clean:
	rm -rf .build public state
