import 'reflect-metadata';
import { Controller, Get } from '@nestjs/common';
import { z } from 'zod';
import { Answers, Responds, openApiDocument } from './openapi';

const Item = z.strictObject({ itemId: z.string() }).meta({ id: 'Item' });
const ItemPage = z.strictObject({ items: z.array(Item), nextCursor: z.string().nullable() }).meta({ id: 'ItemPage' });

@Controller('v1/items')
class ItemsController {
  @Get()
  @Responds()
  @Answers(ItemPage)
  list(): { items: { itemId: string }[]; nextCursor: string | null } {
    return { items: [], nextCursor: null };
  }

  @Get(':itemId')
  @Responds({ 404: ['item_not_found'] })
  @Answers(Item)
  one(): { itemId: string } {
    return { itemId: 'a' };
  }
}

type Document = ReturnType<typeof openApiDocument>;
const successSchema = (document: Document, path: string) =>
  (document.paths[path]!.get as { responses: Record<string, { content: Record<string, { schema: unknown }> }> }).responses['200']!.content['application/json']!.schema;

describe('the OpenAPI document of the success answers (@Answers)', () => {
  it('names each answer as a component, and a named schema used inside one as a component of its own', () => {
    const document = openApiDocument('Items', [ItemsController]);
    expect(successSchema(document, '/v1/items')).toEqual({ $ref: '#/components/schemas/ItemPage' });
    expect(successSchema(document, '/v1/items/{itemId}')).toEqual({ $ref: '#/components/schemas/Item' });
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, { items?: unknown }> }>;
    expect(schemas.ItemPage!.properties!.items!.items).toEqual({ $ref: '#/components/schemas/Item' });
    expect(schemas.Item).toMatchObject({ type: 'object', required: ['itemId'], additionalProperties: false });
    expect(Object.keys(schemas).sort()).toEqual(['Item', 'ItemPage', 'Problem']);
  });

  it('makes a named schema used only inside an answer a component too', () => {
    @Controller('v1/pages')
    class PagesController {
      @Get()
      @Responds()
      @Answers(ItemPage)
      list(): { items: { itemId: string }[]; nextCursor: string | null } {
        return { items: [], nextCursor: null };
      }
    }
    const document = openApiDocument('Pages', [PagesController]);
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, { items?: unknown }> }>;
    expect(Object.keys(schemas).sort()).toEqual(['Item', 'ItemPage', 'Problem']);
    expect(schemas.ItemPage!.properties!.items!.items).toEqual({ $ref: '#/components/schemas/Item' });
  });

  it('refuses an answer schema without a name, since a client generator could not name its type', () => {
    @Controller('v1/unnamed')
    class UnnamedController {
      @Get()
      @Responds()
      @Answers(z.strictObject({ itemId: z.string() }))
      one(): { itemId: string } {
        return { itemId: 'a' };
      }
    }
    expect(() => openApiDocument('Unnamed', [UnnamedController])).toThrow('GET /v1/unnamed: its @Answers schema has no name');
  });

  it('refuses two different answer schemas under one name', () => {
    const Other = z.strictObject({ other: z.string() }).meta({ id: 'Item' });
    @Controller('v1/other')
    class OtherController {
      @Get()
      @Responds()
      @Answers(Other)
      one(): { other: string } {
        return { other: 'a' };
      }
    }
    expect(() => openApiDocument('Clash', [ItemsController, OtherController])).toThrow('another answer schema is already named Item');
  });
});
