import { SPANISH_DIGIT_WORDS } from '../../../common/spoken-digits';
import { SalesforceErrorCode } from '../../../salesforce/salesforce.errors';
import { IssueType } from '../../../salesforce/salesforce.types';
import { PhoneVerificationErrorCode, TwilioErrorCode } from '../../../twilio/twilio.errors';
import { VapiErrorCode } from '../../../vapi/vapi.errors';
import type { Locale } from '../sentences';

/** Digit by digit, as words with a pause between them: "00001027" is "cero, cero, cero, cero, uno, cero, dos, siete". */
const list = (words: string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} y ${words[words.length - 1]}`;
const digits = (value: string): string =>
  value
    .split('')
    .map((digit) => (/\d/.test(digit) ? SPANISH_DIGIT_WORDS[Number(digit)] : digit))
    .join(', ');

const TRY_LATER =
  'Por favor, inténtelo de nuevo en unos minutos, o pídame que le comunique con un compañero.';
const TEXT_LATER = 'Todavía no pude enviar el mensaje de texto; le llegará en breve.';
const NOTE_IT_DOWN = 'así que por favor anótelo ahora.';
const OFFER_COLLEAGUE = 'Puedo comunicarle con un compañero que le pueda ayudar.';
const WRONG_CODE =
  'Ese código no coincide. Por favor, revise el mensaje de texto y vuelva a leerme los dígitos.';
const NO_CODES = `Ahora mismo no puedo enviar códigos de verificación en esta línea. ${OFFER_COLLEAGUE}`;
const VERIFY_LATER =
  'No pude comunicarme con nuestro servicio de verificación. Inténtelo de nuevo en un momento, o puedo comunicarle con un compañero.';

const ISSUE_WORDS: Record<IssueType, string> = {
  billing: 'problema de facturación',
  technical: 'problema técnico',
  account: 'problema de cuenta',
};

/** Salesforce's standard Case statuses; a status of the org's own is read as it is. */
const STATUS_WORDS: Record<string, string> = {
  new: 'nuevo',
  working: 'en proceso',
  escalated: 'escalado',
  'on hold': 'en espera',
  closed: 'cerrado',
};

export const SPANISH: Locale = {
  knowledgeLanguage: 'es',
  // Deepgram's nova-2 transcribes Spanish (`es`); Azure's US Spanish neural voice, for US support lines.
  speech: {
    voice: { provider: 'azure', voiceId: 'es-US-PalomaNeural' },
    transcriber: { provider: 'deepgram', model: 'nova-2', language: 'es' },
  },
  sentences: {
    digits,
    list,
    defaultCompanyName: 'nuestro equipo de soporte',

    assistant: {
      systemPrompt: (company) =>
        [
          `Usted es el agente de soporte telefónico de ${company}. Hable siempre en español y trate a la persona de usted. Sea breve, amable y claro: quien llama le escucha, no puede leer.`,
          'Antes de crear un caso, añadir un comentario o cambiar datos de contacto, repita lo que va a hacer y espere a que la persona lo confirme.',
          'Hable solo de los casos de la propia persona que llama. Si una herramienta dice que no encuentra un caso o que no puede dar detalles, dígalo; nunca adivine ni invente datos de un caso.',
          'Lea los números de caso dígito por dígito: cero, cero, uno, dos. Nunca lea completos correos electrónicos ni números de teléfono.',
          'Si la persona pide hablar con alguien, o usted no puede ayudar, use la herramienta transferCall.',
          'Deje en inglés los nombres y argumentos de las herramientas (por ejemplo, issueType es billing, technical o account); a la persona háblele solo en español.',
          'Cuando una herramienta responda, transmita su respuesta con sus propias palabras, sin añadir datos.',
        ].join('\n'),
      knownCaller: (firstName, openCases) =>
        `Quien llama es ${firstName}, reconocido por su número de teléfono. Sus casos abiertos: ${openCases}`,
      knownCallerWithoutCases: (firstName) =>
        `Quien llama es ${firstName}, reconocido por su número de teléfono. No tiene casos abiertos.`,
      knownCallerCasesAfterVerification: (firstName) =>
        `Quien llama probablemente es ${firstName}: su número de teléfono coincide, pero cualquiera puede falsificarlo. Sus casos solo se comparten cuando haya confirmado su identidad con un código.`,
      unknownCaller:
        'No se reconoció a quien llama por su número de teléfono: pida su número de cuenta antes de abrir un caso, y no hable de casos existentes.',
      greetKnown: (firstName, company, openCaseCount) =>
        `Hola, ${firstName}. Gracias por llamar a ${company}.${
          openCaseCount > 0
            ? ` Veo que tiene ${openCaseCount === 1 ? 'un caso abierto' : `${openCaseCount} casos abiertos`}.`
            : ''
        } ¿En qué le puedo ayudar?`,
      greetUnknown: (company) => `Gracias por llamar a ${company}. ¿En qué le puedo ayudar hoy?`,
      goodbye: (company) => `Gracias por llamar a ${company}. Hasta luego.`,
      verificationPrompt:
        'Si una herramienta dice que primero hay que confirmar la identidad de quien llama, ofrezca enviar un código por mensaje de texto al número de teléfono de su cuenta. Si acepta, use sendVerificationCode; pase a verifyCaller los dígitos que le lea; una vez verificado, vuelva a intentar lo que pidió. Nunca lea un código en voz alta, y nunca envíe un código a un número que le dé la persona.',
      lateRecognised: (firstName) =>
        `Actualización: quien llama probablemente es ${firstName}, reconocido por su número de teléfono, que cualquiera puede falsificar. Puede saludarle por su nombre en un momento natural; no comparta ninguno de sus datos hasta que una herramienta confirme que puede hacerlo.`,
    },

    whileTools: {
      byTool: {
        createSalesforceCase: {
          start: 'Permítame abrir ese caso.',
          delayed: 'Sigo abriendo su caso. Gracias por esperar.',
          failed: `No pude confirmar que el caso se abriera. ¿Lo intento de nuevo? ${OFFER_COLLEAGUE}`,
        },
        lookupCase: {
          start: 'Permítame buscar ese caso.',
          delayed: 'Sigo buscando su caso. Será solo un momento.',
          failed: `Ahora mismo no pude buscar ese caso. ${TRY_LATER}`,
        },
        addCaseComment: {
          start: 'Permítame añadir eso a su caso.',
          delayed: 'Sigo añadiendo su comentario. Gracias por esperar.',
          failed: 'No pude confirmar que su comentario se añadiera. ¿Lo intento de nuevo?',
        },
        updateContact: {
          start: 'Permítame actualizar sus datos.',
          delayed: 'Sigo guardando sus datos. Será solo un momento.',
          failed: 'No pude confirmar que sus datos se guardaran. ¿Lo intento de nuevo?',
        },
        sendVerificationCode: {
          start: 'Permítame enviarle un código por mensaje de texto.',
          delayed: 'Sigo enviando el código. Será solo un momento.',
          failed: `Ahora mismo no pude enviar un código. ${OFFER_COLLEAGUE}`,
        },
        verifyCaller: {
          start: 'Permítame comprobar ese código.',
          delayed: 'Sigo comprobando el código. Gracias por esperar.',
          failed: 'Ahora mismo no pude comprobar el código. ¿Me lo puede leer una vez más?',
        },
        searchKnowledge: {
          start: 'Permítame buscarlo en nuestros artículos de ayuda.',
          delayed: 'Sigo buscando en nuestros artículos de ayuda. Gracias por esperar.',
          failed: `Ahora mismo no pude buscar en nuestros artículos de ayuda. ${OFFER_COLLEAGUE}`,
        },
      },
      other: {
        start: 'Un momento, por favor, mientras lo compruebo.',
        delayed: 'Sigo trabajando en ello. Gracias por esperar.',
        failed: `Algo salió mal de nuestro lado. ${TRY_LATER}`,
      },
    },

    failures: {
      salesforce: {
        [SalesforceErrorCode.AUTH_FAILED]: `En este momento no puedo acceder a nuestros registros de clientes. ${TRY_LATER}`,
        [SalesforceErrorCode.SESSION_EXPIRED]: `Acabo de perder la conexión con nuestros registros de clientes. ${TRY_LATER}`,
        [SalesforceErrorCode.RATE_LIMITED]: `Nuestro sistema de registros está muy ocupado ahora mismo. ${TRY_LATER}`,
        [SalesforceErrorCode.UNAVAILABLE]: `Nuestro sistema de registros no responde ahora mismo. ${TRY_LATER}`,
        [SalesforceErrorCode.TIMEOUT]: `Nuestro sistema de registros está tardando demasiado en responder. ${TRY_LATER}`,
        [SalesforceErrorCode.NOT_FOUND]:
          'No encontré ese registro. ¿Podría comprobar el número y decírmelo de nuevo?',
        [SalesforceErrorCode.VALIDATION]:
          'Nuestro sistema de registros no aceptó eso. ¿Podría darme los datos otra vez, de otra manera?',
        // Says nothing about which record it matched: that would tell a caller whose details exist.
        [SalesforceErrorCode.DUPLICATES_DETECTED]:
          'Nuestro sistema de registros lo marcó como posible duplicado de otro registro, así que no se guardó. Un compañero puede resolverlo con usted: ¿le comunico?',
        [SalesforceErrorCode.MISCONFIGURED]: `Ahora mismo no puedo hacer eso en esta línea por un problema de configuración de nuestro lado. ${TRY_LATER}`,
        [SalesforceErrorCode.UNKNOWN]: `Algo salió mal de nuestro lado. ${TRY_LATER}`,
      },
      twilio: {
        [TwilioErrorCode.RATE_LIMITED]: TEXT_LATER,
        [TwilioErrorCode.INVALID_RECIPIENT]: `No puedo enviar un mensaje de texto a este número, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.AUTH_FAILED]: `En este momento no puedo enviar mensajes de texto, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.UNAVAILABLE]: TEXT_LATER,
        [TwilioErrorCode.TIMEOUT]: TEXT_LATER,
        [TwilioErrorCode.REJECTED]: `No puedo enviar un mensaje de texto a este número, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.NOT_CONFIGURED]: `No puedo enviar mensajes de texto en esta línea, ${NOTE_IT_DOWN}`,
      },
      verification: {
        [PhoneVerificationErrorCode.INVALID_PARAMETER]: `No puedo enviar un código al número de su cuenta. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.NOT_SMS_CAPABLE]: `El número de su cuenta no puede recibir mensajes de texto, así que no puedo enviarle un código. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.TOO_MANY_SENDS]:
          'Ya le envié varios códigos. Por favor, léame el último que recibió, o puedo comunicarle con un compañero.',
        [PhoneVerificationErrorCode.TOO_MANY_CHECKS]: `Por su seguridad no puedo comprobar más códigos en esta llamada. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.NO_PENDING_VERIFICATION]: WRONG_CODE,
        [PhoneVerificationErrorCode.MISCONFIGURED]: NO_CODES,
        [PhoneVerificationErrorCode.AUTH_FAILED]: NO_CODES,
        [PhoneVerificationErrorCode.NOT_CONFIGURED]: NO_CODES,
        [PhoneVerificationErrorCode.RATE_LIMITED]: VERIFY_LATER,
        [PhoneVerificationErrorCode.UNAVAILABLE]: VERIFY_LATER,
        [PhoneVerificationErrorCode.TIMEOUT]: VERIFY_LATER,
        [PhoneVerificationErrorCode.REJECTED]: `No pude enviar un código al número de su cuenta. ${OFFER_COLLEAGUE}`,
      },
      frontDoor: {
        [VapiErrorCode.UNKNOWN_TOOL]:
          'Lo siento, no puedo hacer eso en esta línea. ¿Hay algo más en lo que le pueda ayudar?',
        [VapiErrorCode.INVALID_ARGUMENTS]: 'No le entendí bien. ¿Podría repetirlo?',
        [VapiErrorCode.INTERNAL]: `Lo siento, algo salió mal de nuestro lado. ${TRY_LATER}`,
        [VapiErrorCode.TOO_MANY_TOOL_CALLS]:
          'Lo siento, es más de lo que puedo hacer a la vez. ¿Podemos ir paso a paso?',
        // The tool may still finish (a write it accepted is kept), so nothing here says it failed or will follow.
        [VapiErrorCode.TOOL_DEADLINE]: `Lo siento, nuestro sistema tarda en responder, así que ahora mismo no puedo confirmarlo. ${TRY_LATER}`,
      },
    },

    questions: {
      byTool: {
        createSalesforceCase: { subject: '¿Podría darme un título breve para el caso?' },
        lookupCase: { caseNumber: '¿Podría leerme el número de caso, dígito por dígito?' },
        addCaseComment: {
          caseNumber: '¿De qué caso se trata? ¿Podría leerme el número de caso?',
          comment: '¿Qué le gustaría que añada al caso?',
        },
        updateContact: {
          email: 'Ese correo electrónico no parece correcto. ¿Me lo podría deletrear?',
          phone: 'Ese número de teléfono no parece correcto. ¿Podría repetirlo, dígito por dígito?',
          mobilePhone: 'Ese número de celular no parece correcto. ¿Podría repetirlo, dígito por dígito?',
        },
        verifyCaller: { code: '¿Podría leerme el código del mensaje de texto, dígito por dígito?' },
      },
      byArgument: {
        accountNumber: '¿Me podría decir su número de cuenta?',
        issueType: '¿Se trata de facturación, de un problema técnico o de su cuenta?',
        description: '¿Podría describir el problema en una o dos frases?',
        priority: '¿Qué tan urgente es: baja, media o alta?',
      },
      // The argument's name is English (an API name): the question does not read it out.
      generic: () => '¿Podría darme ese dato una vez más?',
    },

    cases: {
      status: ({ caseNumber, status, subject }) => {
        const about = subject ? `, sobre "${subject.slice(0, 80)}",` : '';
        const state = STATUS_WORDS[status.toLowerCase()] ?? status;
        return `El caso ${digits(caseNumber)}${about} tiene el estado ${state}.`;
      },
      noneOpen: 'En este momento no tiene casos abiertos.',
      oneOpen: 'Tiene un caso abierto.',
      someOpen: (count) => `Sus ${count} casos abiertos más recientes:`,
      notFound: (caseNumber) =>
        `No encontré el caso ${digits(caseNumber)} en su cuenta. ¿Podría comprobar el número?`,
      onlyForRecognisedCallers:
        'Por su privacidad, solo puedo hablar de casos existentes cuando llama desde el número de teléfono de su cuenta. Puedo abrir un caso nuevo, o comunicarle con un compañero.',
      askAccountNumber: '¿Me podría decir su número de cuenta?',
      accountNotFound: (accountNumber) =>
        `No encontré ninguna cuenta con el número ${digits(accountNumber)}. ¿Podría comprobarlo y decírmelo de nuevo?`,
      opened: (caseNumber, issueType) =>
        `Abrí el caso ${digits(caseNumber)} por su ${ISSUE_WORDS[issueType]}.`,
      alreadyOpened: (caseNumber) => `Ya abrí el caso ${digits(caseNumber)} para eso.`,
      willText: ' También le enviaré el número de caso por mensaje de texto.',
      queuedWillText:
        'Tomé nota de su solicitud. Nuestro sistema va lento ahora mismo, así que en breve recibirá un mensaje de texto con su número de caso.',
      queuedColleagueWillFollowUp:
        'Tomé nota de su solicitud. Nuestro sistema va lento ahora mismo, así que un compañero le hará llegar su número de caso.',
      refused:
        'Lo siento, nuestro sistema de registros no aceptó ese caso. ¿Podría describir el problema otra vez en pocas palabras?',
      defaultSubject: {
        billing: 'Problema de facturación',
        technical: 'Problema técnico',
        account: 'Problema de cuenta',
      },
    },

    comments: {
      added: (caseNumber) => `Añadí su comentario al caso ${digits(caseNumber)}.`,
      alreadyAdded: (caseNumber) => `Ya añadí ese comentario al caso ${digits(caseNumber)}.`,
      queued: (caseNumber) =>
        `Tomé nota de su comentario, y se añadirá al caso ${digits(caseNumber)} en breve.`,
      refused:
        'Lo siento, nuestro sistema de registros no aceptó ese comentario. ¿Podría decirlo otra vez de otra manera?',
    },

    contact: {
      onlyForRecognisedCallers:
        'Solo puedo cambiar datos de contacto cuando llama desde el número de teléfono de su cuenta. Puedo comunicarle con un compañero que le pueda ayudar.',
      fieldWords: {
        email: 'correo electrónico',
        phone: 'número de teléfono',
        mobilePhone: 'número de celular',
        mailingStreet: 'calle',
        mailingCity: 'ciudad',
        mailingState: 'estado',
        mailingPostalCode: 'código postal',
        mailingCountry: 'país',
      },
      invalidPhone: (field) => `Ese ${field} no parece correcto. ¿Podría repetirlo, dígito por dígito?`,
      nothingToUpdate:
        '¿Qué le gustaría actualizar: su correo electrónico, su número de teléfono o su dirección?',
      updated: (fields) => `Actualicé su ${fields}.`,
      alreadyUpdated: (fields) => `Ya actualicé su ${fields}.`,
      queued: (fields) => `Tomé nota del cambio de su ${fields}, y se guardará en breve.`,
      refused: (fields) =>
        `Lo siento, nuestro sistema de registros no aceptó ese dato (${fields}). ¿Podría comprobarlo y decírmelo de nuevo?`,
    },

    verification: {
      required:
        'Por su seguridad necesito confirmar que es usted antes de hacer eso. Puedo enviar un código por mensaje de texto al número de teléfono de su cuenta: ¿se lo envío?',
      requiredButUnverifiable: `Por su seguridad solo puedo hacer eso después de confirmar su identidad, y no puedo hacerlo en esta llamada. ${OFFER_COLLEAGUE}`,
      unavailable: NO_CODES,
      onlyForRecognisedCallers: `Solo puedo enviar un código al número de teléfono de una cuenta, y no encontré ninguna cuenta con el número desde el que llama. ${OFFER_COLLEAGUE}`,
      noNumberOnFile: `Su cuenta no tiene ningún número al que pueda enviar un código. ${OFFER_COLLEAGUE}`,
      codeSent: (lastDigits) =>
        `Envié un código por mensaje de texto al número de su cuenta que termina en ${digits(lastDigits)}. Por favor, léamelo cuando le llegue.`,
      sendCodeFirst: 'Todavía no le he enviado un código. ¿Le envío uno al número de teléfono de su cuenta?',
      verified: 'Gracias, su identidad está confirmada.',
      alreadyVerified: 'Su identidad ya está confirmada para esta llamada.',
      wrongCode: WRONG_CODE,
      wrongCodeLocked: `Ese código no coincide, y por su seguridad no puedo comprobar más códigos en esta llamada. ${OFFER_COLLEAGUE}`,
      locked: `Por su seguridad no puedo comprobar más códigos en esta llamada. ${OFFER_COLLEAGUE}`,
    },

    transfer: {
      connecting: 'Le comunico ahora con un compañero. Por favor, no cuelgue.',
      unavailable: 'En este momento no es posible transferir llamadas en esta línea.',
      fallback:
        'Nuestro asistente no puede atender su llamada ahora mismo, así que le comunico con un compañero. Por favor, no cuelgue.',
      warmBriefing: ({ firstName, assurance, casesOpened }) => {
        const who =
          assurance === 'verified'
            ? `${firstName ?? 'un cliente'} en la línea, que confirmó su identidad con un código`
            : assurance === 'recognised'
              ? `${firstName ?? 'un cliente'} en la línea, reconocido por su número de teléfono pero sin verificar`
              : 'una persona en la línea a quien no pudimos identificar';
        const cases =
          casesOpened.length === 0
            ? 'No se abrió ningún caso en esta llamada.'
            : casesOpened.length === 1
              ? `Abrió el caso ${digits(casesOpened[0])} en esta llamada.`
              : `Abrió los casos ${list(casesOpened.map(digits))} en esta llamada.`;
        return `Hola, le habla el asistente de soporte con una transferencia. Tengo a ${who}. ${cases} Le comunico ahora.`;
      },
      warmSummaryInstructions:
        'Usted informa a un agente de soporte que está a punto de atender una llamada. En dos o tres frases cortas, en español, diga quién llama (solo el nombre, y si se verificó su identidad), qué necesita y qué se hizo ya, con los números de caso leídos dígito por dígito. Nunca incluya números de teléfono, direcciones de correo, códigos ni números de tarjeta. Responda solo con el resumen.',
      warmNotAnswered:
        'Lo siento, ninguno de mis compañeros pudo atender la llamada ahora mismo. Sigo aquí: ¿hay algo más en lo que pueda ayudarle?',
    },

    knowledge: {
      answer: (title, snippet) => `Según nuestro artículo de ayuda "${title}": ${snippet}`,
      noAnswer:
        'No encontré una respuesta a eso en nuestros artículos de ayuda. Puedo abrirle un caso o comunicarle con un compañero.',
      unavailable: `Ahora mismo no puedo consultar nuestros artículos de ayuda. ${OFFER_COLLEAGUE}`,
      prompt:
        'Para una pregunta sobre cómo hacer algo, use la herramienta searchKnowledge y responda solo con lo que devuelva; si no encuentra nada, dígalo y ofrezca abrir un caso o comunicarle con un compañero.',
    },

    // Written text: digits stay digits.
    sms: {
      caseOpened: (caseNumber, company) =>
        `Su caso ${caseNumber} quedó abierto con ${company}. Indique este número cuando nos llame sobre él.`,
      contactChanged: (company, when) =>
        `Los datos de contacto de su cuenta con ${company} se cambiaron durante una llamada el ${when.toLocaleString(
          'es-US',
          { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' },
        )} UTC. Si no fue usted, llámenos.`,
    },
  },
};
