import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Raw SELECTs of whole entities for the hot paths (intake, the guard, firing timers), where
 * TypeORM's query builder costs more CPU than the query: `columnsOf` lists an entity's columns
 * for the SELECT, `hydrate` turns a row back into the entity with the driver's conversions
 * (booleans, JSON, dates). Both read the entity's TypeORM metadata: one definition per table.
 */
export function columnsOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string): string {
  return manager.connection
    .getMetadata(target)
    .columns.map((c) => `${alias}.\`${c.databaseName}\` AS \`${alias}_${c.databaseName}\``)
    .join(', ');
}

export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, alias: string, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as Record<string, unknown>;
  for (const c of metadata.columns) {
    entity[c.propertyName] = manager.connection.driver.prepareHydratedValue(row[`${alias}_${c.databaseName}`], c);
  }
  return entity as T;
}
