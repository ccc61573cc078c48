-- Every resource belongs to a tenant.
CREATE TABLE tenants (
    tenant_id   VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_tenants PRIMARY KEY (tenant_id)
);
