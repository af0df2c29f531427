#!/usr/bin/env bash
# Loads a Zebra OMOP export into a new PostgreSQL database with every CDM v5.4 constraint on.
#
#   deploy/omop/load.sh EXPORT_FOLDER DATABASE [--without-vocabulary]
#
# Creates DATABASE (it must not exist), the CDM tables (NOT NULL as published), their primary
# keys, bulk-loads every table with COPY (psql's \copy: the files are read by the client), and
# then adds every foreign key, which checks each loaded row. The vocabulary subset the export
# carries (vocabulary/*.csv) is loaded first; with --without-vocabulary it is not, for a
# database whose concept tables are filled from an Athena download instead (load those first).
# Connection settings come from the usual PG* environment variables.
set -euo pipefail
export_dir=${1:?usage: load.sh EXPORT_FOLDER DATABASE [--without-vocabulary]}
database=${2:?usage: load.sh EXPORT_FOLDER DATABASE [--without-vocabulary]}
vocabulary=yes
[[ ${3:-} == --without-vocabulary ]] && vocabulary=no
here=$(cd "$(dirname "$0")" && pwd)
[[ -f $export_dir/person.csv ]] || { echo "load.sh: $export_dir has no person.csv (not an OMOP export)" >&2; exit 2; }

createdb "$database"
psql_db() { psql -v ON_ERROR_STOP=1 -q -X -d "$database" "$@"; }
psql_db -f "$here/cdm-tables.sql"
psql_db -f "$here/cdm-primary-keys.sql"
copy() { # table file
    psql_db -c "\\copy cdm.$1 FROM '$2' WITH (FORMAT csv, HEADER true)"
    echo "loaded cdm.$1: $(psql_db -At -c "SELECT count(*) FROM cdm.$1") rows"
}
if [[ $vocabulary == yes ]]; then
    for table in concept vocabulary domain concept_class; do copy "$table" "$export_dir/vocabulary/$table.csv"; done
fi
for table in person observation_period visit_occurrence condition_occurrence drug_exposure procedure_occurrence \
             measurement observation death cohort cdm_source; do
    [[ -f $export_dir/$table.csv ]] && copy "$table" "$export_dir/$table.csv"
done
psql_db -f "$here/cdm-foreign-keys.sql"
echo "foreign keys: $(psql_db -At -c "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                                       WHERE n.nspname = 'cdm' AND c.contype = 'f' AND c.convalidated") validated"
