# Monitoring: the Prometheus configuration and alert rules, Alertmanager, the Grafana dashboards.
# docs/MONITORING.md says what each check covers; the live checks are the end-to-end tests
# Tests/e2e/test_prometheus.py and Tests/e2e/test_metrics_exposition.py (make test-e2e).

.PHONY: test-ops

PROM_DIR := deploy/prometheus

## test-ops: static monitoring checks, no daemons: promtool check config (both configs, rule_files
## pointed at the repository's rules) and check rules, the rules' unit tests, amtool check-config,
## and Tests/ops/check_ops.py (conventions, a firing and a quiet test per alert, dashboards, and
## every metric the rules and dashboards name being a known one)
test-ops: test-deps
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for config in prometheus.yml prometheus.host.yml; do \
	  sed 's|/etc/prometheus/rules/|$(CURDIR)/$(PROM_DIR)/rules/|' $(PROM_DIR)/$$config > "$$tmp/$$config" && \
	  promtool check config "$$tmp/$$config" || exit 1; \
	done
	promtool check rules $(PROM_DIR)/rules/*.yml
	promtool test rules $(PROM_DIR)/tests/*.test.yml
	amtool check-config deploy/alertmanager/alertmanager.yml
	@for route in critical=tradewind-page warning=tradewind-ticket info=tradewind-null; do \
	  amtool config routes test --config.file=deploy/alertmanager/alertmanager.yml \
	    --verify.receivers=$${route#*=} severity=$${route%%=*} >/dev/null 2>&1 || \
	    { echo "alertmanager: severity=$${route%%=*} does not route to $${route#*=}"; exit 1; }; \
	done
	python3 Tests/ops/check_ops.py

# `make test` runs the static monitoring checks too (a few seconds)
test: test-ops
