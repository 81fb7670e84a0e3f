package compat;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/** The document a pipeline upsert starts from, as mongod builds it: the filter's equality conditions. */
final class UpsertSeed {
    private UpsertSeed() {
    }

    static Document of(Document filter) {
        Document out = new Document();
        addEqualities(filter, out);
        return out;
    }

    /** {@code doc} with {@code _id} first: its own, else the seed's, else a new ObjectId (mongod's order and rule). */
    static Document withId(Document doc, Document seed) {
        Object id = doc.containsKey("_id") ? doc.get("_id")
            : seed.containsKey("_id") ? seed.get("_id") : new ObjectId();
        Document out = new Document("_id", id);
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            if (!e.getKey().equals("_id")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static void addEqualities(Document filter, Document out) {
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equals("$and") && value instanceof List) {
                for (Object clause : (List<?>) value) {
                    addEqualities((Document) clause, out);
                }
            } else if (key.equals("$or") && value instanceof List && ((List<?>) value).size() == 1) {
                addEqualities((Document) ((List<?>) value).get(0), out);
            } else if (key.startsWith("$") || value instanceof BsonRegularExpression) {
                continue;
            } else if (isOperators(value)) {
                Document ops = (Document) value;
                if (ops.size() == 1 && ops.containsKey("$eq")) {
                    Utils.changeSubdocumentValue(out, key, ops.get("$eq"));
                }
            } else {
                Utils.changeSubdocumentValue(out, key, value);
            }
        }
    }

    private static boolean isOperators(Object value) {
        return value instanceof Document && !((Document) value).isEmpty()
            && ((Document) value).keySet().iterator().next().startsWith("$");
    }
}
