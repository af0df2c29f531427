-- OMOP CDM v5.4, PostgreSQL: the primary keys of the tables a Zebra OMOP export fills or references.
-- Definitions (columns, types, nullability, keys) as published by OHDSI in
-- github.com/OHDSI/CommonDataModel, inst/ddl/5.4/postgresql/OMOPCDM_postgresql_5.4_primary_keys.sql
-- (commit f853f6e, Apache License 2.0), restricted to these tables, with the schema named cdm.
-- Load order (deploy/omop/load.sh): tables, primary keys, COPY the export, then foreign keys,
-- so that every row is checked against every constraint when the keys are added.

ALTER TABLE cdm.person ADD CONSTRAINT xpk_person PRIMARY KEY (person_id);
ALTER TABLE cdm.observation_period ADD CONSTRAINT xpk_observation_period PRIMARY KEY (observation_period_id);
ALTER TABLE cdm.visit_occurrence ADD CONSTRAINT xpk_visit_occurrence PRIMARY KEY (visit_occurrence_id);
ALTER TABLE cdm.visit_detail ADD CONSTRAINT xpk_visit_detail PRIMARY KEY (visit_detail_id);
ALTER TABLE cdm.condition_occurrence ADD CONSTRAINT xpk_condition_occurrence PRIMARY KEY (condition_occurrence_id);
ALTER TABLE cdm.drug_exposure ADD CONSTRAINT xpk_drug_exposure PRIMARY KEY (drug_exposure_id);
ALTER TABLE cdm.procedure_occurrence ADD CONSTRAINT xpk_procedure_occurrence PRIMARY KEY (procedure_occurrence_id);
ALTER TABLE cdm.measurement ADD CONSTRAINT xpk_measurement PRIMARY KEY (measurement_id);
ALTER TABLE cdm.observation ADD CONSTRAINT xpk_observation PRIMARY KEY (observation_id);
ALTER TABLE cdm.location ADD CONSTRAINT xpk_location PRIMARY KEY (location_id);
ALTER TABLE cdm.care_site ADD CONSTRAINT xpk_care_site PRIMARY KEY (care_site_id);
ALTER TABLE cdm.provider ADD CONSTRAINT xpk_provider PRIMARY KEY (provider_id);
ALTER TABLE cdm.concept ADD CONSTRAINT xpk_concept PRIMARY KEY (concept_id);
ALTER TABLE cdm.vocabulary ADD CONSTRAINT xpk_vocabulary PRIMARY KEY (vocabulary_id);
ALTER TABLE cdm.domain ADD CONSTRAINT xpk_domain PRIMARY KEY (domain_id);
ALTER TABLE cdm.concept_class ADD CONSTRAINT xpk_concept_class PRIMARY KEY (concept_class_id);
