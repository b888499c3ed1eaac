console.log("audit-image");
