"""Reading what people filled in outside sclearn (a Word form) into the pledge models."""
