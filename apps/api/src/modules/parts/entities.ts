import { Part, PartPrice, ServiceItem, ServiceItemPrice } from './catalogue.entities';
import { Stock, StockMovement, Store } from './stock.entities';

export const PARTS_ENTITIES: Function[] = [ServiceItem, ServiceItemPrice, Part, PartPrice, Store, Stock, StockMovement];
