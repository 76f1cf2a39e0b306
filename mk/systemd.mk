# systemd deployment (deploy/systemd/, deploy/install.sh): docs/DEPLOYMENT.md, "Production: systemd".
.PHONY: test-systemd-units systemd-test

## test-systemd-units: offline checks of the units (systemd-analyze verify, security exposure <= 2.0 each); seconds
test-systemd-units:
	Tests/systemd/check_units.sh

## systemd-test: release build (--static-swift-stdlib), then the units for real in a Debian 12 container with
## systemd as PID 1: install.sh, start, kill -9, watchdog, clean stop (minutes; needs root and podman).
## SYSTEMD_TEST_FLAGS=--allow-simple runs it with binaries that do not speak sd_notify yet (test-only drop-ins)
SYSTEMD_TEST_FLAGS ?=
systemd-test:
	$(SWIFT) build -c release --static-swift-stdlib $(SWIFT_BUILD_FLAGS)
	python3 Tests/systemd/systemd_test.py --bin "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)" $(SYSTEMD_TEST_FLAGS)

# `make test` runs the offline unit checks too (seconds)
test: test-systemd-units
