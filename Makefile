# Quick start: `make run` refreshes the bundled sample site; `make test` runs the tests.
SWIFT ?= swift
# One release build serves `make run`, `make install` and `make deb`. The Swift runtime and
# Foundation are linked in, so the binary needs only Debian 12's own libraries.
RELEASE = -c release --static-swift-stdlib --product tidings
TIDINGS = .build/release/tidings

# `make install` puts the files here; `make deb` uses PREFIX=/usr.
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
export PREFIX DESTDIR SYSCONFDIR

.PHONY: run test deps build install deb manuals check-binary clean

run: deps
	$(SWIFT) build $(RELEASE)
	$(TIDINGS) refresh --feeds feeds --out public --state state
	@echo "Feeds written to $(CURDIR)/public (index.html, all.atom, one .atom per source)."

# The renderer's tests (headless Chromium aimed at forbidden addresses) run apart, in a network
# namespace where only loopback exists (scripts/loopback-only; LOOPBACK_ONLY=optional runs them
# on this machine's network where no namespace can be made); every other test runs first.
RENDER_TESTS = RenderingTests|RenderRefreshTests|RenderCommandsTests
test: deps
	$(SWIFT) test --disable-xctest --skip '$(RENDER_TESTS)'
	scripts/loopback-only $(SWIFT) test --disable-xctest --skip-build --filter '$(RENDER_TESTS)'

build: deps
	$(SWIFT) build $(RELEASE)

$(TIDINGS):
	$(MAKE) build

# The binary, the unit, /etc/tidings (kept when present), man pages, completions, docs.
install: $(TIDINGS)
	scripts/make-manuals $(TIDINGS) .build/manuals
	MANUALS=.build/manuals TIDINGS=$(TIDINGS) scripts/install-files
	@echo "Then: sudo systemctl daemon-reload && sudo systemctl enable --now tidings"

# dist/tidings_<version>_<arch>.deb, built with dpkg-deb.
deb: $(TIDINGS)
	scripts/make-deb dist

manuals: $(TIDINGS)
	scripts/make-manuals $(TIDINGS) .build/manuals

# ldd: the release binary needs no Swift toolchain on the machine it runs on.
check-binary: $(TIDINGS)
	scripts/check-release-binary $(TIDINGS)

deps:
	@scripts/install-deps

clean:
	rm -rf .build public state dist
