"""Cross-cloud composition: a PostgreSQL database and its login role, and the Retool resource
that connects to them, in one program.

For each Retool environment (production, staging) the program creates a role with a password
(taken from config as a secret, or generated), a database owned by that role, and a Retool
resource configuration pointing at them; the Retool resource itself points at the production
database. The password flows from the role to Retool as a Pulumi secret: it is encrypted in the
state and shown as `[secret]` by the engine.

Config (namespace `postgresql`, like the pulumi-postgresql provider's):
  postgresql:host / postgresql:port    the server (default 127.0.0.1:5432)
  postgresql:username                  an admin role that may create roles and databases
  postgresql:password (secret)         its password
Optional, per Retool environment: `productionPassword` / `stagingPassword` (secrets); when not
set, a password is generated once and kept in the state.
"""

import pulumi
from postgres import Database, RandomPassword, Role, Server

import retool_pulumi as retool

pg = pulumi.Config("postgresql")
config = pulumi.Config()
server = Server(
    host=pg.get("host") or "127.0.0.1",
    port=pg.get_int("port") or 5432,
    admin_user=pg.get("username") or "postgres",
    admin_password=pg.require_secret("password"),
)
# The address Retool connects to (the same server, as Retool sees it).
retool_db_host = config.get("retoolDbHost") or server.host

ENVIRONMENTS = {"production": "orders", "staging": "orders_staging"}

connections: dict[str, pulumi.Output[dict[str, object]]] = {}
for environment, database_name in ENVIRONMENTS.items():
    password = config.get_secret(f"{environment}Password")
    if password is None:
        password = RandomPassword(f"{environment}-password", length=32).result
    role = Role(f"{environment}-role", server=server, name=f"retool_{database_name}", password=password)
    database = Database(f"{environment}-db", server=server, name=database_name, owner=role.name)
    connections[environment] = pulumi.Output.all(database.name, role.name, role.password).apply(
        lambda args: {
            "database_options": {
                "host": str(retool_db_host),
                "port": str(server.port),
                "name": args[0],
                "username": args[1],
                "password": args[2],
            }
        }
    )

orders = retool.Resource(
    "orders-db",
    type="postgresql",
    display_name="Orders DB",
    options=connections["production"],
)
configurations = {
    environment: retool.ResourceConfiguration(
        f"orders-db-{environment}",
        resource_id=orders.id,
        environment_id=retool.get_environment(environment)["id"],
        options=options,
    )
    for environment, options in connections.items()
}

pulumi.export("retoolResourceId", orders.id)
pulumi.export("resourceConfigurationIds", {env: conf.id for env, conf in configurations.items()})
pulumi.export("databases", ENVIRONMENTS)
