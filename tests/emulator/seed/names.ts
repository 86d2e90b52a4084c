/** Small word lists for readable seeded data. */
export const FIRST_NAMES = [
  "Olena", "Andrii", "Iryna", "Taras", "Sofiia", "Maksym", "Anna", "Dmytro", "Kateryna", "Oleh",
  "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Isabella", "Mason",
  "Lena", "Jonas", "Marie", "Felix", "Hannah", "Paul", "Clara", "Leon", "Sofia", "Elias",
  "Chloe", "Hugo", "Zoe", "Mateo", "Amelia", "Leo", "Nora", "Arthur", "Ines", "Tomas",
];

export const LAST_NAMES = [
  "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Oliinyk", "Boiko",
  "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Clark",
  "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
  "Dubois", "Martin", "Bernard", "Rossi", "Russo", "Novak", "Horvat", "Silva", "Santos", "Kowalski",
];

export const PRODUCT_ADJECTIVES = [
  "Linen", "Wool", "Ceramic", "Oak", "Copper", "Cotton", "Leather", "Glass", "Bamboo", "Stoneware",
  "Velvet", "Walnut", "Hemp", "Marble", "Cashmere",
];

export const PRODUCT_NOUNS = [
  "Mug", "Scarf", "Tote", "Candle", "Notebook", "Blanket", "Teapot", "Planter", "Apron", "Tray",
  "Beanie", "Vase", "Bowl", "Journal", "Cushion", "Lamp", "Socks", "Wallet",
];

export const VENDORS = ["Kinship Goods", "Northwind Studio", "Fjord & Field", "Maple Works"];

export const DISCOUNT_CODES = ["WELCOME10", "SPRING15", "LOYAL20", "FRIENDS10"];
